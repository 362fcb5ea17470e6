# Types of the parts of livereload (no types of its own) that sitegen uses: see handlers.pyi.
__version__: str
