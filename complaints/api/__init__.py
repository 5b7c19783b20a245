"""The REST API v1 (DESIGN §7): an interface over the same selectors, actions table and services
as the staff pages; it writes no rule of its own."""
