"""What each part of the index holds: the SQL that turns catalog rows into index rows."""

from __future__ import annotations

from explorer.index.ranking import RANK_SHIFT, SQL_POPULARITY_ROWID


def ascii_sql(column: str) -> str:
    """SQL true when a text is plain ASCII (as many characters as bytes: cheaper than
    matching every character against a pattern, 0.2 of the 3.5 us a track cost)."""
    return f"length({column}) = length(CAST({column} AS BLOB))"


def text_sql(column: str) -> str:
    """SQL for `index_text(column)` that calls Python only for names that are not plain ASCII."""
    return f"CASE WHEN {ascii_sql(column)} THEN {column} ELSE index_text({column}) END"


# The marker tokens of a genre ("deep house" -> g_deep_house) and of a label ("Warner
# Music" -> l_warner l_music), in SQL; FTS5 splits them further at any other mark, as
# `explorer.search.terms.genre_tokens` and `label_tokens` expect.
GENRE_TOKEN_SQL = "'g_' || replace(replace(lower({column}), ' ', '_'), '-', '_')"
LABEL_TOKENS_SQL = "'l_' || replace(trim(lower({column})), ' ', ' l_')"


def year_token_sql(column: str) -> str:
    """SQL for ' y_YYYY' when a date starts with a year other than 0000, else ''
    (matching the whole date against the patterns costs less than cutting it first)."""
    return (
        f"CASE WHEN {column} GLOB '[0-9][0-9][0-9][0-9]*' AND {column} NOT GLOB '0000*' "
        f"THEN ' y_' || substr({column}, 1, 4) ELSE '' END"
    )


# One SELECT per part, over the catalog rowid range [:lo, :hi), in index rowid order
# (FTS5 flushes its pending terms to a new segment whenever a rowid goes backwards); the
# rows are (index rowid, text), inserted by `INSERT ... SELECT` without a round trip
# through Python for the plain ASCII names.
#
# Artists, albums and tracks take their artists' texts from `{texts}.artist_text` (the
# main index file's table, which the first stage fills with every artist's credit: the
# name as it is when plain ASCII, which the FTS tokenizer splits as `tokens` does, else
# its `index_text`) instead of calling `index_text` on every track's credits (1.7 us of
# the 6 us a track cost at 10 M tracks) or reading the catalog's wide artist rows (0.4 us).
# Tracks take their album's year token from the build file's `album_year` (reading the
# album's wide row and matching its date was 0.4 of the 4 us a track cost at 10 M tracks).
#
# Where each part's credits are, in the catalog: (table, the credited row's column, what
# marks a credit the index holds, as SQL on the table's alias `c`).
CREDITS = {
    "albums": ("artist_albums", "album_rowid", "c.index_in_album IS NOT NULL"),
    "tracks": ("track_artists", "track_rowid", "true"),
}
# A chunk's credits are gathered first into the writer's `temp.credits`, in one pass over
# the chunk's range of the credits table's index (see `explorer.index.writer`), then joined by
# rowid. A subquery per row looking them up (1.8 of the 4 us a track cost at 10 M tracks)
# or a join on the chunk's grouped credits (which SQLite materialized and indexed again)
# cost more.
SELECT_SQL = {
    "artists": f"""
        SELECT ((127 - max(0, min(127, CAST(log2(a.followers_total + 1) * 4.5 AS INTEGER))))
                    << {RANK_SHIFT}) | a.rowid,
               x.text || coalesce(' ' || g.tokens, '')
        FROM cat.artists a
        JOIN {{texts}}.artist_text x ON x.rowid = a.rowid
        LEFT JOIN (
            SELECT artist_rowid AS r,
                   group_concat({GENRE_TOKEN_SQL.format(column="genre")}, ' ')
                       AS tokens
            FROM cat.artist_genres
            WHERE artist_rowid >= :lo AND artist_rowid < :hi
            GROUP BY artist_rowid
        ) g ON g.r = a.rowid
        WHERE a.rowid >= :lo AND a.rowid < :hi
        ORDER BY 1
    """,
    "albums": f"""
        SELECT {SQL_POPULARITY_ROWID.format(pop="al.popularity", rowid="al.rowid")},
               {text_sql("al.name")} || ' ' || coalesce(cr.names, '')
               || coalesce(' t_' || al.album_type, '')
               || coalesce(' u_' || nullif(al.external_id_upc, ''), '')
               || coalesce(' ' || {LABEL_TOKENS_SQL.format(column="al.label")}, '')
               || {year_token_sql("al.release_date")}
        FROM cat.albums al
        LEFT JOIN temp.credits cr ON cr.rowid = al.rowid
        WHERE al.rowid >= :lo AND al.rowid < :hi
        ORDER BY 1
    """,
    "tracks": f"""
        SELECT {SQL_POPULARITY_ROWID.format(pop="t.popularity", rowid="t.rowid")},
               {text_sql("t.name")} || ' ' || coalesce(cr.names, '')
               || y.token
        FROM cat.tracks t
        LEFT JOIN temp.credits cr ON cr.rowid = t.rowid
        JOIN build.album_year y ON y.rowid = t.album_rowid
        WHERE t.rowid >= :lo AND t.rowid < :hi
        ORDER BY 1
    """,
}
FTS_TABLE = {"artists": "artist_fts", "albums": "album_fts", "tracks": "track_fts"}
# The first stage: every artist's credit as the index holds it (a name that is not plain
# ASCII as its index text, or as it is when that has no word), which the artists',
# albums' and tracks' rows then read instead of computing it again.
TEXTS = "texts"
ARTIST_TEXT_SQL = f"""
    INSERT INTO artist_text (rowid, text)
    SELECT rowid,
           coalesce(CASE WHEN {ascii_sql("name")} THEN name
                         ELSE coalesce(nullif(index_text(name), ''), name) END, '')
    FROM cat.artists
    WHERE rowid >= :lo AND rowid < :hi
"""
# Also in the first stage, in a lane of its own (the build file): every album's year token.
YEARS = "years"
ALBUM_YEAR_SQL = f"""
    INSERT INTO album_year (rowid, token)
    SELECT rowid, {year_token_sql("release_date")}
    FROM cat.albums
    WHERE rowid >= :lo AND rowid < :hi
"""
# The first stage's jobs: what they insert, and the part whose progress they belong to
# (they report no rows of their own).
FIRST_STAGE = {TEXTS: (ARTIST_TEXT_SQL, "artists"), YEARS: (ALBUM_YEAR_SQL, "albums")}


# The catalog's tables each part's writer reads, with the column their rows are chosen by.
CATALOG_READS = {
    TEXTS: (("artists", "rowid"),),
    YEARS: (("albums", "rowid"),),
    "artists": (("artists", "rowid"), ("artist_genres", "artist_rowid")),
    "albums": (("albums", "rowid"), ("artist_albums", "album_rowid")),
    "tracks": (("tracks", "rowid"), ("track_artists", "track_rowid")),
}


# The UPC tokens' range of terms: every term that starts with 'u_' sorts from UPC_MARK
# to before UPC_MARK_END ('`' follows '_').
UPC_MARK, UPC_MARK_END = "u_", "u`"
# A writer's table of one chunk's credits: each row's credited names.
CREDITS_TABLE_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS credits (rowid INTEGER PRIMARY KEY, names TEXT)"
)
