"""The package's version, here so that every layer can name it without importing the package's
public face (``orchestr_lab/__init__.py`` imports the sdk, which sits above most layers)."""

__version__ = "0.1.0"
