"""The public portal's pages (the back office's are in office_urls)."""
