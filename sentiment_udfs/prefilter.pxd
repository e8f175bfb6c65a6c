# C types for prefilter.py (Cython reads this file; Python never does: see compiled.py).
# A mask holds one bit per pattern (at most 64: engine.Engine checks), a C unsigned long long.

cdef class Prefilter:
    cdef public unsigned long long always     # the patterns without triggers
    cdef public dict exact                    # whole token -> bits
    cdef public dict inside                   # first letter -> (piece, bit) inside a token
    cdef public list inside_nonword
    cdef public list anchors                  # (bit, piece, mode) per trigger run
    cdef public Py_ssize_t head
    cdef public dict starts_by_head
    cdef public Py_ssize_t tail
    cdef public dict ends_by_tail
    cdef public dict needs                    # bit -> pieces one of which a match holds
    cdef public unsigned long long checked    # ... their bits
    cdef public list short                    # (piece, bits) of the one-character pieces
    cdef public list pieces                   # the longer needed pieces, by bucket (``_pair``)
    cdef unsigned long long[:] piece_bits     # ... the patterns each is needed by
    cdef object _piece_bits
    cdef unsigned int[:] piece_chars          # ... their code points, one after another
    cdef object _piece_chars
    cdef int[:] piece_start                   # ... where each piece starts in them
    cdef object _piece_start
    cdef int[:] bucket_start                  # ... where each bucket starts in them
    cdef object _bucket_start
    cdef public dict opening                  # bit -> the runs an opening pattern starts with
    cdef public unsigned long long opening_bits
    cdef public list opening_runs             # ... by pattern number
    cdef unsigned long long _present(self, str text)
    cdef inline bint _holds(self, str text, Py_ssize_t at, Py_ssize_t k)
