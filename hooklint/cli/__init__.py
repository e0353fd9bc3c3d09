"""The command line: launcher, fast argument path, typer app, command bodies."""
