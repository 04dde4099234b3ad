# Packs the staged bucketdb package (build/bindings/python/pkg) into a wheel; metadata is in
# pyproject.toml. The package holds native code, so the wheel is tagged for this interpreter
# and platform (cp311-cp311-linux_x86_64), not as pure Python.
from setuptools import setup
from setuptools.dist import Distribution


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


setup(distclass=BinaryDistribution)
