"""Qt screens bound to the core (console/): the desk window, its views and their models."""
