# C declarations for memo_gc.py (Cython reads this file; Python never does: see compiled.py).

cdef extern from "Python.h":
    void PyObject_GC_UnTrack(object op)  # a no-op on an object already untracked

cpdef object untracked(object container)
