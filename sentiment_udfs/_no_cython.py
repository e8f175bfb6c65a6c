"""What ``kernels`` uses of Cython's ``cython`` module, as no-ops: where Cython is not installed
(it comes with the ``build`` dependency group) the typed module still runs as Python."""

from __future__ import annotations

int = double = longlong = ulonglong = longdouble = Py_ssize_t = object  # noqa: A001 - C types
compiled = False


def _same(x):
    return x


def cclass(cls):
    return cls


def no_gc(cls):
    return cls


def locals(**_types):  # noqa: A001 - Cython's name
    return _same


def boundscheck(_flag):
    return _same


def wraparound(_flag):
    return _same


def cfunc(func):
    return func
