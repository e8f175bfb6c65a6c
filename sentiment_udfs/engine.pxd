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

# VADER's rules over a sentence's Token structs (the .py defines them; see _vader_valences).
cpdef list _vader_valences(object core, list infos, bint cap, list scored, object idiom_keys)
cdef double _vader_valence(object core, list infos, Py_ssize_t i, Py_ssize_t n, bint cap) except? -1.0  # reads core's scalars
cdef double _vader_negation(double valence, list infos, Py_ssize_t start_i, Py_ssize_t i, double n_scalar) noexcept
cdef object _idiom_key(long long first, long long second, long long third)
cdef bint _idiom_near(list infos, Py_ssize_t i, Py_ssize_t n, object keys) except -1
cdef bint _run_is_idiom(list infos, Py_ssize_t start, int size, object keys) except -1

# The CRM's negation rules over the same structs (see _negation_fixes).
cpdef bint _negation_fixes(list vals, list infos, list changed, list ev, list positions, object rules) except -1
cdef bint _has_word(list infos, Py_ssize_t start, Py_ssize_t stop, int kind) noexcept
cdef bint _never_exclaims(list infos, Py_ssize_t i, Py_ssize_t reach) noexcept
cdef bint _exclaims_between(list infos, Py_ssize_t start, Py_ssize_t stop) noexcept
cdef bint _weakly_negated(list infos, Py_ssize_t i) noexcept
cdef bint _comparative_after(list infos, Py_ssize_t i) noexcept
cdef int _rule_word(list infos, Py_ssize_t j) noexcept
cdef bint _least(list infos, Py_ssize_t j) noexcept
cdef bint _negates(list infos, Py_ssize_t j) noexcept

cdef class WordRules:                 # copied into Token's fields of the same names
    cdef public double valence
    cdef public bint in_lexicon
    cdef public double booster
    cdef public bint is_booster
    cdef public bint vader_negated
    cdef public int rule_words
    cdef public int idiom_id
    cdef public int crm_words
    cdef public bint starts_phrase
    cdef public bint is_phrase

cdef class Token:
    cdef public str text
    cdef public str lower
    cdef public bint is_upper
    cdef public bint ends_sentence
    cdef public tuple words
    cdef public unsigned long long pattern_mask  # one bit per pattern (at most 64)
    cdef public int exclamations
    cdef public int questions
    cdef public str folded
    cdef public bint negates
    cdef public tuple model_words     # ModelWord per word of ``words``
    cdef public bint scored
    cdef public bint starts_phrase
    cdef public bint is_phrase
    # What VADER's rules ask of it (its lower case in the CRM lexicon), so the rules walk a
    # sentence's tokens reading C fields, not look up strings (``_vader_valences``):
    cdef public double valence        # its lexicon valence (0.0 where not in the lexicon)
    cdef public bint in_lexicon
    cdef public double booster        # its degree-word scalar (0.0 where not a degree word)
    cdef public bint is_booster
    cdef public bint vader_negated    # a negation word for VADER ('not', "isn't")
    cdef public int rule_words        # which of the words VADER's rules name it is (_RULE_*)
    cdef public int idiom_id          # its number among VADER's idiom words (0: none)
    cdef public int crm_words         # which word kinds of the CRM's negation rules (_CRM_*)
    # As a whole whitespace piece, what the language guess counts (Written's fields):
    cdef public int n_words
    cdef public int foreign
    cdef public int ascii_letters
    # Its first model word's fields (ModelWord's), read without reaching the ModelWord:
    cdef public int word_id
    cdef public int pair_no
    cdef public int negated_id
    cdef public bint word_negator
    cdef public bint word_ends_scope

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
    cdef public int n
    cdef public int upper
    cdef public list word_ids
    cdef public object fids
    cdef public tuple named
    cdef public str folded
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
