"""Modal screens: forms for lifecycle actions, help, errors."""
