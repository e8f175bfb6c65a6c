"""The only place with SQL. Every query opens the serving snapshot read-only, briefly.

Nothing is read at import: each function takes the snapshot's path and returns a DataFrame
(or plain values), so the publish step can swap the file between two queries.
"""
