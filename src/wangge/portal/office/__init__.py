"""The portal's back office: writing, reviewing and publishing articles and disclosures,
answering objections, reading residents' needs and keeping the sensitive words."""
