"""Static site generator for the IOM × Innovation Life Sciences Hubs site."""
