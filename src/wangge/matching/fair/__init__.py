"""The supply-demand fair (社洽会): its workflow, its matches and the hook service projects use."""
