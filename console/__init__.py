"""The hall console's core: everything the console knows and decides, free of Qt."""
