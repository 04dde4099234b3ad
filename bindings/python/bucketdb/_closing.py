"""The with-statement of every handle: the block's end closes it."""


class Closing:
    __slots__ = ()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
