"""The bundle's entry point: what the ``tawsim`` console script runs (``app.main:main``).

A script of its own rather than app/main.py, which PyInstaller would run with app/ first on the
module path (where app/io would hide the standard library's io).
"""

from app.main import main

main()
