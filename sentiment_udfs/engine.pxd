# C types for engine.py (Cython reads this file; Python never does: see compiled.py).
#
# A text becomes Written pieces, Tokens and ModelWords (each analysed once per distinct piece,
# then memoized) and Sentences (once per distinct sentence). Every text walks its sentences'
# tokens and words, so these are C structs with typed fields: a field read is a pointer load,
# not a dictionary or tuple-descriptor look-up. The fields are public so Python code (the
# tests, the pure-Python build) reads them by the same names.

cdef class ModelWord:
    cdef public str word
    cdef public int evidence_id       # its id in the engine's WordWeights table
    cdef public int pair_no           # its number in the model's pairs, -1 if in none
    cdef public int negated_id        # feature id of '~word', -1 where the model has none
    cdef public bint negator          # opens a negation's scope ('not', "don't")
    cdef public bint ends_scope       # closes one ('!', '?', 'but')

cdef class PairTable:
    cdef object _keys                 # the arrays behind the views below
    cdef object _values
    cdef long long[:] keys            # open addressing: a pair's key, or -1 for an empty slot
    cdef int[:] values                # ... its feature id
    cdef Py_ssize_t mask
    # C methods (the .py defines them; Cython makes them C calls from typed callers):
    cdef Py_ssize_t _slot(self, long long first, long long second)
    cdef int find(self, int first, int second)

cdef long long _pair_key(long long first, long long second)

cdef class Token:
    cdef public str text
    cdef public str lower
    cdef public bint is_upper
    cdef public bint ends_sentence
    cdef public tuple words
    cdef public object pattern_mask   # a Python int: more patterns than a C long has bits
    cdef public int exclamations
    cdef public int questions
    cdef public str folded
    cdef public bint negates
    cdef public tuple model_words     # ModelWord per word of ``words``
    cdef public bint scored
    cdef public bint starts_phrase
    cdef public bint is_phrase

cdef class Written:
    cdef public tuple tokens
    cdef public tuple language_words
    cdef public dict scripts
    cdef public int ascii_letters
    cdef public int n_words
    cdef public int foreign

cdef class Sentence:
    cdef public str text
    cdef public list infos
    cdef public list tokens
    cdef public list lower
    cdef public int n
    cdef public int upper
    cdef public list words
    cdef public list word_ids
    cdef public object fids
    cdef public tuple named
    cdef public str folded
    cdef public list written
    cdef public double amp
    cdef public bint closer
    cdef public object sarcasm
    cdef public object escalation
    cdef public object cues
    cdef public object emotions
    cdef public list by_cap
    cdef public int foreign
    cdef public int n_words
    cdef public int ascii_letters
    cdef public dict scripts
    cdef public bint special
    cdef public list top
    cdef public bint cued
    cdef public int row
    cdef public list scored           # positions of the tokens VADER scores
    cdef public bint phrased          # a CRM phrase may start in it
