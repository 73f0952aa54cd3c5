# All metadata lives in setup.cfg; this file only lets older pip versions build the package.
from setuptools import setup

setup()
