from sentiment_udfs.features import word_grams
from sentiment_udfs.grams import GramTable


def test_gram_ids_are_the_vocabulary_look_ups_of_word_grams():
    vocab = {"#<slo": 3, "#slow": 7, "#fail": 9, "#caf\u00e9": 11, "#\U0001f621ab": 13, "slow": 1}
    grams = GramTable(vocab)
    for word in ("slow", "slower", "fail", "caf\u00e9s", "\U0001f621abc", "it", "zzzz"):
        found: list = []
        grams.add_ids(word, found)
        assert found == [vocab[g] for g in word_grams(word) if g in vocab], word
