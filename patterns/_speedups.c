/* Native versions of the matcher's hottest per-line steps (patterns/_native.py explains).
 *
 * Every function here has a reference implementation in Python (the name is given with each);
 * the tests compare both on the project's corpora and on generated text, and the Python one
 * runs wherever this module was not built. Only ASCII work is done here: anything else is
 * returned to Python unchanged.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* ---------------------------------------------------------------- big tables on huge pages
 * The regex gate's Hyperscan database (~28 MB) and the word-key table (~4 MB) are read all
 * over, a few bytes here and there; with 4 KB pages most of those reads first miss the TLB.
 * A block of 4 MB or more from big_alloc is 2 MB-aligned and, on Linux, marked for
 * transparent huge pages (a hint: where the system says no, it is ordinary memory). Freed
 * with free() whichever way it was made, so a database allocated before the hook was
 * installed is freed the same way. No Python reference: nothing here changes a result.
 */
#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <stdlib.h>

#define HUGE_PAGE ((size_t)2 << 20)

static void *big_alloc(size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (n >= 2 * HUGE_PAGE) {
        void *p = NULL;
        if (posix_memalign(&p, HUGE_PAGE, n) != 0) return NULL;
        (void)madvise(p, n & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
        return p;
    }
#endif
    return malloc(n);
}

static void big_free(void *p) { free(p); }

/* zeroed memory for n items of size each, from big_alloc; NULL when out of memory */
static void *big_calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = big_alloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}


#define MAX_JOIN 3 /* matcher.MAX_JOIN */

static inline int is_word_char(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }


/* matcher._WORD ([a-z0-9]+(?:'[a-z0-9]+)*) over any str, apostrophes left out: word k is
 * buf[starts[k] : starts[k] + lens[k]]; buf, starts and lens are the caller's to free */
typedef struct {
    char *buf;
    Py_ssize_t *starts, *lens;
    Py_ssize_t count, used;
} Words;

static void words_free(Words *w) {
    PyMem_Free(w->buf);
    PyMem_Free(w->starts);
    PyMem_Free(w->lens);
}

static int split_words(PyObject *text, Words *w) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    w->buf = PyMem_Malloc(n + 1);
    w->starts = PyMem_Malloc(sizeof(Py_ssize_t) * (n / 2 + 2)); /* at most n / 2 + 1 words */
    w->lens = PyMem_Malloc(sizeof(Py_ssize_t) * (n / 2 + 2));
    w->count = w->used = 0;
    if (!w->buf || !w->starts || !w->lens) {
        words_free(w);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_word_char(c)) {
            i++;
            continue;
        }
        w->starts[w->count] = w->used;
        while (i < n) {
            c = PyUnicode_READ(kind, data, i);
            if (is_word_char(c)) {
                w->buf[w->used++] = (char)c;
                i++;
            } else if (c == '\'' && i + 1 < n && is_word_char(PyUnicode_READ(kind, data, i + 1))) {
                i++; /* the apostrophe is part of the match, left out of the word */
            } else {
                break;
            }
        }
        w->lens[w->count] = w->used - w->starts[w->count];
        w->count++;
    }
    return 0;
}

/* ------------------------------------------------------------------ normalisation
 * normalize.normalize and normalize._alt_views: the same steps in the same order, with the same
 * offsets back to the source. ascii_views() takes the source when it is all ASCII and does every
 * step (NFKC, Traditional -> Simplified cannot change ASCII); views() takes a text the Python
 * steps that need Unicode tables or OpenCC (drop_invisible, fold_width, fold_case,
 * to_simplified) have made, with its offsets, and does the rest. As in Python, each step asks
 * whether its input is ASCII where the Python step does.
 *
 * A view is a UCS4 buffer and its offsets into the source; ``mat`` tells that some step changed
 * its length (Norm.keep / substitute materialised Norm._index): until then it is the identity,
 * returned as None.
 */
typedef Py_UCS4 U;

typedef struct {
    U *s;
    Py_ssize_t *idx;
    Py_ssize_t n;
    int mat;
} View;

static void view_free(View *v) {
    PyMem_Free(v->s);
    PyMem_Free(v->idx);
    v->s = NULL;
    v->idx = NULL;
}

static int view_alloc(View *v, Py_ssize_t cap) {
    v->s = PyMem_Malloc(sizeof(U) * (cap + 1));
    v->idx = PyMem_Malloc(sizeof(Py_ssize_t) * (cap + 1));
    if (!v->s || !v->idx) {
        view_free(v);
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static int view_copy(View *dst, const View *src) {
    if (view_alloc(dst, src->n) < 0) return -1;
    memcpy(dst->s, src->s, sizeof(U) * src->n);
    memcpy(dst->idx, src->idx, sizeof(Py_ssize_t) * src->n);
    dst->n = src->n;
    dst->mat = src->mat;
    return 0;
}

/* Norm.keep: in place, the characters whose mask is set; the index is materialised */
static void view_keep(View *v, const char *mask) {
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < v->n; i++) {
        if (mask[i]) {
            v->s[j] = v->s[i];
            v->idx[j] = v->idx[i];
            j++;
        }
    }
    v->n = j;
    v->mat = 1;
}

static int view_is_ascii(const View *v) {
    for (Py_ssize_t i = 0; i < v->n; i++)
        if (v->s[i] >= 128) return 0;
    return 1;
}

static int view_has(const View *v, U c) {
    for (Py_ssize_t i = 0; i < v->n; i++)
        if (v->s[i] == c) return 1;
    return 0;
}

static inline int is_lower(U c) { return c >= 'a' && c <= 'z'; }
static inline int is_digit(U c) { return c >= '0' && c <= '9'; }
static inline int is_ascii_printable(U c) { return c >= 0x20 && c < 0x7f; }
static inline int is_space(U c) { return Py_UNICODE_ISSPACE(c); } /* the regex \s, str.isspace() */

/* normalize.is_cjk */
static int is_cjk(U c) {
    static const U ranges[][2] = {
        {0x2E80, 0x2FDF}, {0x3000, 0x303F}, {0x3040, 0x30FF}, {0x3100, 0x31BF}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0xFF00, 0xFFEF}, {0x20000, 0x2FA1F},
    };
    if (c < 0x2E80) return 0;
    for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++)
        if (c >= ranges[k][0] && c <= ranges[k][1]) return 1;
    return 0;
}

/* ---- tables given by normalize.py (set_tables): one-to-one character maps, homophones */
typedef struct {
    U from, to;
} CharMap;

typedef struct {
    U *text, *meaning, *prev_not, *prev_in, *next_in, *next_not; /* 0-terminated */
    Py_ssize_t len, meaning_len;
} Homophone;

static CharMap *cjk_confusable, *latin_confusable;
static Py_ssize_t n_cjk_confusable, n_latin_confusable;
static Homophone *homophones;
static Py_ssize_t n_homophones;
static int tables_set;

static U map_char(const CharMap *m, Py_ssize_t n, U c) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (m[mid].from < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && m[lo].from == c ? m[lo].to : c;
}

static int u_in(const U *set, U c) {
    for (; *set; set++)
        if (*set == c) return 1;
    return 0;
}

/* ---- the steps */

/* drop_invisible on ASCII: controls other than \n \t \r */
static int step_drop_invisible_ascii(View *v) {
    int any = 0;
    for (Py_ssize_t i = 0; i < v->n && !any; i++) {
        U c = v->s[i];
        any = !is_ascii_printable(c) && c != '\n' && c != '\t' && c != '\r';
    }
    if (!any) return 0;
    char *mask = PyMem_Malloc(v->n + 1);
    if (!mask) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < v->n; i++) {
        U c = v->s[i];
        mask[i] = is_ascii_printable(c) || c == '\n' || c == '\t' || c == '\r';
    }
    view_keep(v, mask);
    PyMem_Free(mask);
    return 0;
}

static void step_fold_case_ascii(View *v) {
    for (Py_ssize_t i = 0; i < v->n; i++)
        if (v->s[i] >= 'A' && v->s[i] <= 'Z') v->s[i] += 32;
}

/* fold_cjk_confusables */
static void step_cjk_confusables(View *v) {
    if (view_is_ascii(v)) return;
    for (Py_ssize_t i = 0; i < v->n; i++) v->s[i] = map_char(cjk_confusable, n_cjk_confusable, v->s[i]);
}

/* squeeze_spaces: whitespace next to a CJK character or at either end goes, other runs become
 * one space; done (and the index materialised) only when something can change, which the
 * Python step tells apart differently for ASCII and other text */
static int step_squeeze(View *v) {
    Py_ssize_t n = v->n;
    int needed = 0;
    if (view_is_ascii(v)) {
        /* not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ") */
        needed = n > 0 && (v->s[0] == ' ' || v->s[n - 1] == ' ');
        for (Py_ssize_t i = 0; i < n && !needed; i++)
            needed = !is_ascii_printable(v->s[i]) || (v->s[i] == ' ' && i + 1 < n && v->s[i + 1] == ' ');
    } else {
        /* _SQUEEZE_NEEDED: \s\s|[^\S ]|^\s|\s$|CJK\s|\sCJK */
        for (Py_ssize_t i = 0; i < n && !needed; i++) {
            if (!is_space(v->s[i])) continue;
            needed = v->s[i] != ' ' || i == 0 || i == n - 1 || is_space(v->s[i + 1]) || is_cjk(v->s[i - 1]) ||
                     is_cjk(v->s[i + 1]);
        }
    }
    if (!needed) return 0;
    char *mask = PyMem_Malloc(n + 1);
    if (!mask) {
        PyErr_NoMemory();
        return -1;
    }
    memset(mask, 1, n);
    Py_ssize_t i = 0;
    while (i < n) {
        if (!is_space(v->s[i])) {
            i++;
            continue;
        }
        Py_ssize_t s = i;
        while (i < n && is_space(v->s[i])) i++;
        if (s == 0 || i == n || is_cjk(v->s[s - 1]) || is_cjk(v->s[i])) {
            memset(mask + s, 0, i - s);
        } else {
            v->s[s] = ' ';
            memset(mask + s + 1, 0, i - s - 1);
        }
    }
    view_keep(v, mask);
    PyMem_Free(mask);
    return 0;
}

/* ``substitute``: replace [starts[k], ends[k]) by reps[k] (lengths rlen[k]); each replacement
 * character maps to the source of the match's character at the same place or, whole_word, the
 * first to the match's start and the others to its end */
typedef struct {
    Py_ssize_t start, end;
    const U *rep;
    Py_ssize_t rlen;
} Sub;

static int view_substitute(View *v, const Sub *subs, Py_ssize_t nsubs, int whole_word) {
    Py_ssize_t size = v->n;
    for (Py_ssize_t k = 0; k < nsubs; k++) size += subs[k].rlen - (subs[k].end - subs[k].start);
    View out;
    if (view_alloc(&out, size > 0 ? size : 1) < 0) return -1;
    Py_ssize_t j = 0, pos = 0;
    for (Py_ssize_t k = 0; k < nsubs; k++) {
        const Sub *sb = &subs[k];
        for (; pos < sb->start; pos++, j++) {
            out.s[j] = v->s[pos];
            out.idx[j] = v->idx[pos];
        }
        for (Py_ssize_t r = 0; r < sb->rlen; r++, j++) {
            out.s[j] = sb->rep[r];
            out.idx[j] = whole_word ? (r == 0 ? v->idx[sb->start] : v->idx[sb->end - 1]) : v->idx[sb->start + r];
        }
        pos = sb->end;
    }
    for (; pos < v->n; pos++, j++) {
        out.s[j] = v->s[pos];
        out.idx[j] = v->idx[pos];
    }
    out.n = j;
    out.mat = 1;
    view_free(v);
    *v = out;
    return 0;
}

static int match_at(const View *v, Py_ssize_t i, const U *lit, Py_ssize_t len) {
    if (i + len > v->n) return 0;
    for (Py_ssize_t k = 0; k < len; k++)
        if (v->s[i + k] != lit[k]) return 0;
    return 1;
}

/* fold_chat_homophones: HOMOPHONE_RULES, tried in order at each place (the regex _HOMOPHONE) */
static int step_homophones(View *v) {
    if (view_is_ascii(v)) return 0;
    Sub *subs = NULL;
    Py_ssize_t nsubs = 0, cap = 0, i = 0;
    while (i < v->n) {
        const Homophone *hit = NULL;
        for (Py_ssize_t r = 0; r < n_homophones && !hit; r++) {
            const Homophone *h = &homophones[r];
            if (!match_at(v, i, h->text, h->len)) continue;
            U prev = i > 0 ? v->s[i - 1] : 0, next = i + h->len < v->n ? v->s[i + h->len] : 0;
            if (h->prev_not[0] && prev && u_in(h->prev_not, prev)) continue;
            if (h->prev_in[0] && !(prev && u_in(h->prev_in, prev))) continue;
            if (h->next_in[0] && !(next && u_in(h->next_in, next))) continue;
            if (h->next_not[0] && next && u_in(h->next_not, next)) continue;
            hit = h;
        }
        if (!hit) {
            i++;
            continue;
        }
        if (nsubs == cap) {
            cap = cap * 2 + 4;
            Sub *ns = PyMem_Realloc(subs, sizeof(Sub) * cap);
            if (!ns) {
                PyMem_Free(subs);
                PyErr_NoMemory();
                return -1;
            }
            subs = ns;
        }
        subs[nsubs++] = (Sub){i, i + hit->len, hit->meaning, hit->meaning_len};
        i += hit->len;
    }
    int rc = nsubs ? view_substitute(v, subs, nsubs, 1) : 0;
    PyMem_Free(subs);
    return rc;
}

/* fold_confusables (_LATIN_CONFUSABLE) */
static void step_latin_confusables(View *v) {
    for (Py_ssize_t i = 0; i < v->n; i++) v->s[i] = map_char(latin_confusable, n_latin_confusable, v->s[i]);
}

static inline int is_leet(U c) {
    return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7' || c == '@' || c == '$' || c == '!';
}
static inline int in_leet_word(U c) { return is_lower(c) || is_digit(c) || c == '@' || c == '$' || c == '!'; }
static inline U unleet(U c) {
    switch (c) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '@': return 'a';
    case '$': return 's';
    case '!': return 'i';
    default: return c;
    }
}

/* fold_leet: a maximal run of [a-z0-9@$!] with two letters or more and a leet character */
static void step_leet(View *v) {
    Py_ssize_t n = v->n, i = 0;
    while (i < n) {
        if (!in_leet_word(v->s[i])) {
            i++;
            continue;
        }
        Py_ssize_t s = i;
        int letters = 0, leet = 0;
        while (i < n && in_leet_word(v->s[i])) {
            letters += is_lower(v->s[i]);
            leet |= is_leet(v->s[i]);
            i++;
        }
        if (letters >= 2 && leet)
            for (Py_ssize_t k = s; k < i; k++) v->s[k] = unleet(v->s[k]);
    }
}

static inline int is_spaced_sep(U c) {
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == 0xB7 || c == 0x2022 || c == ',' ||
           c == '+' || c == '~';
}

/* collapse_spaced_letters: (?<![a-z])[a-z](?:[ .\-_*·•,+~][a-z]){2,}(?![a-z]), separators
 * dropped (the characters of a match that are not letters) */
static int step_collapse(View *v) {
    Py_ssize_t n = v->n;
    if (view_is_ascii(v) && !view_has(v, ' ') && !view_has(v, '.') && !view_has(v, '-')) return 0;
    char *mask = NULL;
    Py_ssize_t p = 0;
    while (p < n) {
        if (!is_lower(v->s[p]) || (p > 0 && is_lower(v->s[p - 1]))) {
            p++;
            continue;
        }
        Py_ssize_t k = 0, j = p + 1;
        while (j + 1 < n && is_spaced_sep(v->s[j]) && is_lower(v->s[j + 1])) {
            k++;
            j += 2;
        }
        if (j < n && is_lower(v->s[j])) { /* (?![a-z]) fails: one pair back */
            k--;
            j -= 2;
        }
        if (k < 2) {
            p++;
            continue;
        }
        if (!mask) {
            mask = PyMem_Malloc(n + 1);
            if (!mask) {
                PyErr_NoMemory();
                return -1;
            }
            memset(mask, 1, n);
        }
        for (Py_ssize_t q = p; q < j; q++)
            if (!is_lower(v->s[q])) mask[q] = 0;
        p = j;
    }
    if (mask) {
        view_keep(v, mask);
        PyMem_Free(mask);
    }
    return 0;
}

/* fold_sound_alikes: oo|ph|(?<=[a-z]{2})z(?![a-z])|(?<=[a-z])x{2,} -> u, f, s, x */
static int step_sound(View *v) {
    static const U rep_u[] = {'u'}, rep_f[] = {'f'}, rep_s[] = {'s'}, rep_x[] = {'x'};
    Py_ssize_t n = v->n;
    int cand = 0;
    for (Py_ssize_t i = 0; i < n && !cand; i++) {
        U c = v->s[i];
        cand = c == 'z' || (i + 1 < n && ((c == 'o' && v->s[i + 1] == 'o') || (c == 'p' && v->s[i + 1] == 'h') ||
                                          (c == 'x' && v->s[i + 1] == 'x')));
    }
    if (!cand) return 0;
    Sub *subs = PyMem_Malloc(sizeof(Sub) * (n / 1 + 1));
    if (!subs) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t nsubs = 0, i = 0;
    while (i < n) {
        U c = v->s[i];
        const U *rep = NULL;
        Py_ssize_t e = i;
        if (c == 'o' && i + 1 < n && v->s[i + 1] == 'o') {
            rep = rep_u;
            e = i + 2;
        } else if (c == 'p' && i + 1 < n && v->s[i + 1] == 'h') {
            rep = rep_f;
            e = i + 2;
        } else if (c == 'z' && i >= 2 && is_lower(v->s[i - 1]) && is_lower(v->s[i - 2]) &&
                   !(i + 1 < n && is_lower(v->s[i + 1]))) {
            rep = rep_s;
            e = i + 1;
        } else if (c == 'x' && i >= 1 && is_lower(v->s[i - 1]) && i + 1 < n && v->s[i + 1] == 'x') {
            rep = rep_x;
            e = i + 2;
            while (e < n && v->s[e] == 'x') e++;
        }
        if (rep) {
            subs[nsubs++] = (Sub){i, e, rep, 1};
            i = e;
        } else {
            i++;
        }
    }
    int rc = nsubs ? view_substitute(v, subs, nsubs, 0) : 0;
    PyMem_Free(subs);
    return rc;
}

static inline int in_chat_run(U c) { return is_lower(c) || is_digit(c) || c == '\''; }

/* a chat table (set_chat_tables): the dict, and its keys in a small hash set of their bytes, so
 * that a run of the text is looked up without making a str of it (nearly every run is not a key) */
typedef struct {
    PyObject *dict;
    uint32_t *hashes; /* 0: empty */
    char **keys;
    Py_ssize_t *lens;
    Py_ssize_t cap;
} ChatTable;

static ChatTable chat_tables[2]; /* plain, fold */
static int chat_tables_set;

static uint32_t bytes_hash(const char *s, Py_ssize_t n) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (Py_ssize_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

static void chat_table_free(ChatTable *t) {
    for (Py_ssize_t i = 0; t->keys && i < t->cap; i++) PyMem_Free(t->keys[i]);
    PyMem_Free(t->keys);
    PyMem_Free(t->hashes);
    PyMem_Free(t->lens);
    Py_CLEAR(t->dict);
    memset(t, 0, sizeof(*t));
}

static int chat_table_make(ChatTable *t, PyObject *dict) {
    Py_ssize_t n = PyDict_Size(dict), cap = 16;
    while (cap < n * 4) cap *= 2;
    t->hashes = PyMem_Calloc(cap, sizeof(uint32_t));
    t->keys = PyMem_Calloc(cap, sizeof(char *));
    t->lens = PyMem_Calloc(cap, sizeof(Py_ssize_t));
    t->cap = cap;
    if (!t->hashes || !t->keys || !t->lens) {
        PyErr_NoMemory();
        return -1;
    }
    Py_INCREF(dict);
    t->dict = dict;
    Py_ssize_t pos = 0;
    PyObject *key, *val;
    while (PyDict_Next(dict, &pos, &key, &val)) {
        /* only ASCII keys can be a run of [a-z0-9']; any other is never looked up */
        if (!PyUnicode_Check(key) || !PyUnicode_IS_ASCII(key)) continue;
        Py_ssize_t kn = PyUnicode_GET_LENGTH(key);
        const char *ks = (const char *)PyUnicode_1BYTE_DATA(key);
        uint32_t h = bytes_hash(ks, kn);
        Py_ssize_t j = h & (cap - 1);
        while (t->hashes[j]) j = (j + 1) & (cap - 1);
        t->keys[j] = PyMem_Malloc(kn + 1);
        if (!t->keys[j]) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(t->keys[j], ks, kn);
        t->lens[j] = kn;
        t->hashes[j] = h;
    }
    return 0;
}

static int chat_table_has(const ChatTable *t, const char *s, Py_ssize_t n) {
    uint32_t h = bytes_hash(s, n);
    for (Py_ssize_t j = h & (t->cap - 1); t->hashes[j]; j = (j + 1) & (t->cap - 1))
        if (t->hashes[j] == h && t->lens[j] == n && memcmp(t->keys[j], s, n) == 0) return 1;
    return 0;
}

/* set_chat_tables(plain_table, fold_table): the chat-spelling tables of _chat_plain / _chat_fold
 * (keys -> values); views made afterwards with tables=True get the alt views too */
static PyObject *set_chat_tables(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyDict_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "set_chat_tables(plain_table: dict, fold_table: dict)");
        return NULL;
    }
    chat_tables_set = 0;
    for (int k = 0; k < 2; k++) {
        chat_table_free(&chat_tables[k]);
        if (chat_table_make(&chat_tables[k], args[k]) < 0) {
            chat_table_free(&chat_tables[k]);
            return NULL;
        }
    }
    chat_tables_set = 1;
    Py_RETURN_NONE;
}

/* _CodeSwitch.apply for a list of single words (the chat spellings): each run of [a-z0-9'] that
 * is a key of ``table`` is replaced by its value (whole word), then squeeze_spaces. Returns 1
 * when something was replaced, 0 when not, -1 on error. */
static int step_chat(View *v, const ChatTable *table) {
    Sub *subs = NULL;
    U **bufs = NULL; /* the replacements' characters */
    Py_ssize_t nsubs = 0, cap = 0, i = 0, n = v->n;
    int rc = -1;
    char small[64];
    while (i < n) {
        if (!in_chat_run(v->s[i])) {
            i++;
            continue;
        }
        Py_ssize_t s = i;
        while (i < n && in_chat_run(v->s[i])) i++;
        Py_ssize_t len = i - s;
        char *kb = len <= (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc(len);
        if (!kb) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t k = 0; k < len; k++) kb[k] = (char)v->s[s + k];
        if (!chat_table_has(table, kb, len)) {
            if (kb != small) PyMem_Free(kb);
            continue;
        }
        PyObject *key = PyUnicode_FromStringAndSize(kb, len);
        if (kb != small) PyMem_Free(kb);
        if (!key) goto done;
        PyObject *rep = PyDict_GetItemWithError(table->dict, key); /* borrowed */
        Py_DECREF(key);
        if (!rep) {
            if (PyErr_Occurred()) goto done;
            continue;
        }
        if (!PyUnicode_Check(rep)) {
            PyErr_SetString(PyExc_TypeError, "chat table values must be str");
            goto done;
        }
        if (nsubs == cap) {
            cap = cap * 2 + 4;
            Sub *ns = PyMem_Realloc(subs, sizeof(Sub) * cap);
            if (ns) subs = ns;
            U **nb = ns ? PyMem_Realloc(bufs, sizeof(U *) * cap) : NULL;
            if (nb) bufs = nb;
            if (!ns || !nb) {
                PyErr_NoMemory();
                goto done;
            }
        }
        U *rs = PyUnicode_AsUCS4Copy(rep);
        if (!rs) goto done;
        bufs[nsubs] = rs;
        subs[nsubs] = (Sub){s, i, rs, PyUnicode_GET_LENGTH(rep)};
        nsubs++;
    }
    rc = 0;
    if (nsubs) {
        rc = view_substitute(v, subs, nsubs, 1);
        if (rc == 0) rc = step_squeeze(v) < 0 ? -1 : 1;
    }
done:
    for (Py_ssize_t k = 0; k < nsubs; k++) PyMem_Free(bufs[k]);
    PyMem_Free(bufs);
    PyMem_Free(subs);
    return rc;
}

static int view_equal_text(const View *a, const View *b) {
    return a->n == b->n && memcmp(a->s, b->s, sizeof(U) * a->n) == 0;
}

/* (text, index tuple or None) */
static PyObject *view_result(const View *v) {
    PyObject *text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, v->s, v->n);
    if (!text) return NULL;
    if (!v->mat) return Py_BuildValue("(NO)", text, Py_None);
    PyObject *idx = PyTuple_New(v->n);
    if (!idx) {
        Py_DECREF(text);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < v->n; i++) {
        PyObject *o = PyLong_FromSsize_t(v->idx[i]);
        if (!o) {
            Py_DECREF(text);
            Py_DECREF(idx);
            return NULL;
        }
        PyTuple_SET_ITEM(idx, i, o);
    }
    return Py_BuildValue("(NN)", text, idx);
}

/* from the plain steps after to_simplified to the end: (plain, fold, alt_plain, alt_fold), each
 * (text, index or None); alt_plain / alt_fold None when _alt_views returns the view itself, and
 * both None without the chat tables */
static PyObject *finish_views(View *plain, int tables) {
    View fold = {NULL, NULL, 0, 0}, base = {NULL, NULL, 0, 0}, afold = {NULL, NULL, 0, 0};
    PyObject *result = NULL, *r_plain = NULL, *r_fold = NULL, *r_ap = NULL, *r_af = NULL;
    /* the rest of PLAIN_STEPS */
    step_cjk_confusables(plain);
    if (step_squeeze(plain) < 0 || step_homophones(plain) < 0) goto done;
    /* FOLD_STEPS */
    if (view_copy(&fold, plain) < 0) goto done;
    step_latin_confusables(&fold);
    step_leet(&fold);
    if (step_collapse(&fold) < 0 || step_sound(&fold) < 0) goto done;
    int ap_same = 1, af_same = 1;
    if (tables) {
        /* _alt_views: plain with leetspeak and spaced letters undone, then chat spellings */
        if (view_copy(&base, plain) < 0) goto done;
        step_leet(&base);
        if (step_collapse(&base) < 0) goto done;
        int got = step_chat(&base, &chat_tables[0]);
        if (got < 0) goto done;
        if (got == 1) {
            if (view_copy(&afold, &fold) < 0) goto done;
            int gf = step_chat(&afold, &chat_tables[1]);
            if (gf < 0) goto done;
            af_same = gf == 0;
        }
        ap_same = view_equal_text(&base, plain);
    }
    r_plain = view_result(plain);
    r_fold = r_plain ? view_result(&fold) : NULL;
    if (!r_fold) goto done;
    if (ap_same) {
        r_ap = Py_None;
        Py_INCREF(r_ap);
    } else if (!(r_ap = view_result(&base)))
        goto done;
    if (af_same) {
        r_af = Py_None;
        Py_INCREF(r_af);
    } else if (!(r_af = view_result(&afold)))
        goto done;
    result = PyTuple_Pack(4, r_plain, r_fold, r_ap, r_af);
done:
    Py_XDECREF(r_plain);
    Py_XDECREF(r_fold);
    Py_XDECREF(r_ap);
    Py_XDECREF(r_af);
    view_free(&fold);
    view_free(&base);
    view_free(&afold);
    return result;
}

/* the alt views wanted (a true ``tables``): only once set_chat_tables was called */
static int check_tables(PyObject *want, int *tables) {
    if (!tables_set) {
        PyErr_SetString(PyExc_RuntimeError, "set_tables() first");
        return -1;
    }
    int w = PyObject_IsTrue(want);
    if (w < 0) return -1;
    if (w && !chat_tables_set) {
        PyErr_SetString(PyExc_RuntimeError, "set_chat_tables() first");
        return -1;
    }
    *tables = w;
    return 0;
}

/* ascii_views(text, alt) -> None when the text is not all ASCII, else finish_views of the
 * whole pipeline (the alt views too when ``alt``) */
static PyObject *ascii_views(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    int tables;
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "ascii_views(text, alt)");
        return NULL;
    }
    if (check_tables(args[1], &tables) < 0) return NULL;
    PyObject *text = args[0];
    if (!PyUnicode_IS_ASCII(text)) Py_RETURN_NONE;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const Py_UCS1 *src = PyUnicode_1BYTE_DATA(text);
    View plain;
    if (view_alloc(&plain, n) < 0) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        plain.s[i] = src[i];
        plain.idx[i] = i;
    }
    plain.n = n;
    plain.mat = 0;
    PyObject *result = NULL;
    if (step_drop_invisible_ascii(&plain) == 0) {
        step_fold_case_ascii(&plain);
        result = finish_views(&plain, tables);
    }
    view_free(&plain);
    return result;
}

/* views(text, index, alt): ``text`` as to_simplified left it, ``index`` its Norm._index (None:
 * the identity) -> finish_views */
static PyObject *views(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    int tables;
    if (nargs != 3 || !PyUnicode_Check(args[0]) || (args[1] != Py_None && !PyTuple_Check(args[1]))) {
        PyErr_SetString(PyExc_TypeError, "views(text, index, alt)");
        return NULL;
    }
    if (check_tables(args[2], &tables) < 0) return NULL;
    PyObject *text = args[0], *index = args[1];
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (index != Py_None && PyTuple_GET_SIZE(index) != n) {
        PyErr_SetString(PyExc_ValueError, "the index must have one offset per character");
        return NULL;
    }
    View plain;
    if (view_alloc(&plain, n) < 0) return NULL;
    if (!PyUnicode_AsUCS4(text, plain.s, n + 1, 1)) {
        view_free(&plain);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (index == Py_None) {
            plain.idx[i] = i;
            continue;
        }
        plain.idx[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(index, i));
        if (plain.idx[i] == -1 && PyErr_Occurred()) {
            view_free(&plain);
            return NULL;
        }
    }
    plain.n = n;
    plain.mat = index != Py_None;
    PyObject *result = finish_views(&plain, tables);
    view_free(&plain);
    return result;
}

/* set_tables(cjk_confusable, latin_confusable, homophone_rules): the translate tables of
 * fold_cjk_confusables and fold_confusables ({code point: one character}) and HOMOPHONE_RULES */
static int load_map(PyObject *d, CharMap **out, Py_ssize_t *n) {
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "a translate table (dict) is needed");
        return -1;
    }
    Py_ssize_t m = PyDict_Size(d), k = 0, pos = 0;
    CharMap *arr = PyMem_Malloc(sizeof(CharMap) * (m + 1));
    if (!arr) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *key, *val;
    while (PyDict_Next(d, &pos, &key, &val)) {
        long from = PyLong_AsLong(key);
        if (from == -1 && PyErr_Occurred()) goto bad;
        if (!PyUnicode_Check(val) || PyUnicode_GET_LENGTH(val) != 1) {
            PyErr_SetString(PyExc_ValueError, "translate table values must be one character");
            goto bad;
        }
        arr[k].from = (U)from;
        arr[k].to = PyUnicode_READ_CHAR(val, 0);
        k++;
    }
    for (Py_ssize_t a = 1; a < k; a++) { /* insertion sort: a few dozen entries */
        CharMap x = arr[a];
        Py_ssize_t b = a;
        while (b > 0 && arr[b - 1].from > x.from) {
            arr[b] = arr[b - 1];
            b--;
        }
        arr[b] = x;
    }
    PyMem_Free(*out);
    *out = arr;
    *n = k;
    return 0;
bad:
    PyMem_Free(arr);
    return -1;
}

static U *ucs4_of(PyObject *s, Py_ssize_t *len) {
    if (!PyUnicode_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "homophone rules hold str");
        return NULL;
    }
    if (len) *len = PyUnicode_GET_LENGTH(s);
    return PyUnicode_AsUCS4Copy(s); /* 0-terminated */
}

static void free_homophones(Homophone *h, Py_ssize_t n) {
    for (Py_ssize_t k = 0; k < n; k++) {
        PyMem_Free(h[k].text);
        PyMem_Free(h[k].meaning);
        PyMem_Free(h[k].prev_not);
        PyMem_Free(h[k].prev_in);
        PyMem_Free(h[k].next_in);
        PyMem_Free(h[k].next_not);
    }
    PyMem_Free(h);
}

static PyObject *set_tables(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "set_tables(cjk_confusable, latin_confusable, homophone_rules)");
        return NULL;
    }
    if (load_map(args[0], &cjk_confusable, &n_cjk_confusable) < 0 ||
        load_map(args[1], &latin_confusable, &n_latin_confusable) < 0)
        return NULL;
    PyObject *fast = PySequence_Fast(args[2], "homophone rules: a sequence");
    if (!fast) return NULL;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(fast);
    Homophone *h = PyMem_Calloc(m + 1, sizeof(Homophone));
    if (!h) {
        Py_DECREF(fast);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *r = PySequence_Fast_GET_ITEM(fast, k);
        if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) != 6) {
            PyErr_SetString(PyExc_TypeError, "a homophone rule is a 6-tuple of str");
            goto bad;
        }
        if (!(h[k].text = ucs4_of(PyTuple_GET_ITEM(r, 0), &h[k].len)) ||
            !(h[k].meaning = ucs4_of(PyTuple_GET_ITEM(r, 1), &h[k].meaning_len)) ||
            !(h[k].prev_not = ucs4_of(PyTuple_GET_ITEM(r, 2), NULL)) ||
            !(h[k].prev_in = ucs4_of(PyTuple_GET_ITEM(r, 3), NULL)) ||
            !(h[k].next_in = ucs4_of(PyTuple_GET_ITEM(r, 4), NULL)) ||
            !(h[k].next_not = ucs4_of(PyTuple_GET_ITEM(r, 5), NULL)))
            goto bad;
        if (h[k].len == 0) {
            PyErr_SetString(PyExc_ValueError, "a homophone is not empty");
            goto bad;
        }
    }
    Py_DECREF(fast);
    free_homophones(homophones, n_homophones);
    homophones = h;
    n_homophones = m;
    tables_set = 1;
    Py_RETURN_NONE;
bad:
    free_homophones(h, m);
    Py_DECREF(fast);
    return NULL;
}

/* ------------------------------------------------------------------ phrase words
 * matcher._match_words (with _match_from, _word_cost, _stem, word_edits): the best (fewest
 * edits, earliest) placement of an English phrase's words in a text's words, OCR-split pieces
 * joined. match_words(phrase_words, words) -> (edits, first, last exclusive) or None.
 */
typedef struct {
    const char *s;
    Py_ssize_t n;
} Str;

static const char *const SUFFIXES[] = {"ies", "ing", "es", "ed", "s", "z", "d", "y"}; /* matcher._SUFFIXES */

static inline int word_edits(Py_ssize_t n) { return n <= 4 ? 0 : (n <= 8 ? 1 : 2); }

/* _stem: the length of the word without the first ending that leaves 3 letters or more */
static Py_ssize_t stem_len(const char *w, Py_ssize_t n) {
    for (size_t k = 0; k < sizeof(SUFFIXES) / sizeof(SUFFIXES[0]); k++) {
        Py_ssize_t sl = (Py_ssize_t)strlen(SUFFIXES[k]);
        if (n >= sl && memcmp(w + n - sl, SUFFIXES[k], sl) == 0 && n - sl >= 3) return n - sl;
    }
    return n;
}

static Py_ssize_t levenshtein(const char *a, Py_ssize_t m, const char *b, Py_ssize_t n) {
    Py_ssize_t small[64] = {0}; /* (initialised: gcc -O3 cannot see that row[] is set before it is read) */
    Py_ssize_t *row = n + 1 <= 64 ? small : PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1));
    if (!row) return m > n ? m : n; /* no memory: "far apart", which the callers treat as no match */
    for (Py_ssize_t j = 0; j <= n; j++) row[j] = j;
    for (Py_ssize_t i = 1; i <= m; i++) {
        Py_ssize_t diag = row[0];
        row[0] = i;
        for (Py_ssize_t j = 1; j <= n; j++) {
            Py_ssize_t up = row[j];
            Py_ssize_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    Py_ssize_t d = row[n];
    if (row != small) PyMem_Free(row);
    return d;
}

/* _word_cost: edits between a phrase word and a text word, or -1 when they are other words */
static int word_cost(const char *pw, Py_ssize_t pn, const char *tw, Py_ssize_t tn) {
    if (pn == tn && memcmp(pw, tw, pn) == 0) return 0;
    Py_ssize_t ps = stem_len(pw, pn), ts = stem_len(tw, tn);
    if (ps == ts && memcmp(pw, tw, ps) == 0) return 0;
    int budget = word_edits(pn);
    Py_ssize_t diff = pn > tn ? pn - tn : tn - pn;
    if (budget == 0 || diff > budget) return -1;
    Py_ssize_t d = levenshtein(pw, pn, tw, tn);
    return d <= budget ? (int)d : -1;
}

typedef struct {
    const Str *pws;
    Py_ssize_t np;
    const Str *words;
    Py_ssize_t nw;
} WordsJob;

/* _match_from: (cost, end) through *cost / *end; 0 when none */
static int match_from(const WordsJob *job, Py_ssize_t pi, Py_ssize_t ti, int cost, int *best_cost,
                      Py_ssize_t *best_end) {
    if (pi == job->np) {
        *best_cost = cost;
        *best_end = ti;
        return 1;
    }
    int found = 0;
    const Str *pw = &job->pws[pi];
    /* this level's join of OCR pieces; a join longer than the phrase word + 3 letters is
     * neither within two edits nor the same stem, and joins only grow: none of the rest can
     * match (Python goes on, to the same result) */
    char local[68];
    char *joined = pw->n + 4 <= (Py_ssize_t)sizeof(local) ? local : PyMem_Malloc(pw->n + 4);
    if (!joined) return 0;
    Py_ssize_t jl = 0;
    for (Py_ssize_t k = 0; k < MAX_JOIN; k++) {
        Py_ssize_t j = ti + k;
        if (j >= job->nw) break;
        if (k && job->words[j].n > 3 && job->words[j - 1].n > 3) break;
        if (jl + job->words[j].n > pw->n + 3) break;
        memcpy(joined + jl, job->words[j].s, job->words[j].n);
        jl += job->words[j].n;
        int c = word_cost(pw->s, pw->n, joined, jl);
        if (c < 0) continue;
        int rc = 0;
        Py_ssize_t re = 0;
        if (match_from(job, pi + 1, j + 1, cost + c, &rc, &re) && (!found || rc < *best_cost)) {
            *best_cost = rc;
            *best_end = re;
            found = 1;
        }
    }
    if (joined != local) PyMem_Free(joined);
    return found;
}

static int to_strs(PyObject *seq, Str **out, Py_ssize_t *n) {
    PyObject *fast = PySequence_Fast(seq, "a sequence of words");
    if (!fast) return -1;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(fast);
    Str *arr = PyMem_Malloc(sizeof(Str) * (m + 1));
    if (!arr) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *w = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(w) || !PyUnicode_IS_ASCII(w)) {
            PyMem_Free(arr);
            Py_DECREF(fast);
            PyErr_SetString(PyExc_TypeError, "words must be ASCII str");
            return -1;
        }
        arr[i].s = (const char *)PyUnicode_1BYTE_DATA(w);
        arr[i].n = PyUnicode_GET_LENGTH(w);
    }
    *out = arr;
    *n = m;
    Py_DECREF(fast); /* the strings stay alive in the caller's sequence */
    return 0;
}

static PyObject *match_words(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "match_words(phrase_words, words)");
        return NULL;
    }
    Str *pws = NULL, *words = NULL;
    Py_ssize_t np = 0, nw = 0;
    if (to_strs(args[0], &pws, &np) < 0) return NULL;
    if (np == 0 || to_strs(args[1], &words, &nw) < 0) {
        PyMem_Free(pws);
        if (np == 0) PyErr_SetString(PyExc_ValueError, "a phrase has words");
        return NULL;
    }
    WordsJob job = {pws, np, words, nw};
    const Str *first = &pws[0];
    Py_ssize_t fs = word_edits(first->n) == 0 ? stem_len(first->s, first->n) : -1; /* first_stem */
    int have_best = 0, best_cost = 0;
    Py_ssize_t best_start = 0, best_end = 0;
    Py_ssize_t stop = np <= nw ? nw - np + 1 : 0;
    for (Py_ssize_t start = 0; start < stop; start++) {
        const Str *w = &words[start];
        if (fs > 0 && (w->n < 1 || w->s[0] != first->s[0])) continue; /* w.startswith(lead) */
        int can_join = start + 1 < nw && (w->n <= 3 || words[start + 1].n <= 3);
        if (can_join && fs >= 0) {
            Py_ssize_t m = w->n < fs ? w->n : fs; /* first_stem.startswith(w) or w.startswith(first_stem) */
            if (memcmp(w->s, first->s, m) != 0) can_join = 0;
        }
        if (!can_join && word_cost(first->s, first->n, w->s, w->n) < 0) continue;
        int rc = 0;
        Py_ssize_t re = 0;
        if (match_from(&job, 0, start, 0, &rc, &re)) {
            if (!have_best || rc < best_cost) {
                have_best = 1;
                best_cost = rc;
                best_start = start;
                best_end = re;
                if (rc == 0) break;
            }
        }
    }
    PyMem_Free(pws);
    PyMem_Free(words);
    if (!have_best) Py_RETURN_NONE;
    return Py_BuildValue("(inn)", best_cost, best_start, best_end);
}

/* ------------------------------------------------------------------ the word-key index
 * matcher._tokenize and the key loop of Matcher._candidates, with the key cache held here:
 * KeyIndex(miss, stem_of, max_keys, needs).scan(text, words=True) -> (words, ids, stems):
 *   words: the text's words (as _tokenize); None when ``words`` is false and ids is empty;
 *   stems: frozenset(map(stem_of.get, keys)), as _Tokens.stems;
 *   ids:   the phrase ids of the keys (words and OCR-joined runs), from the cache, or from
 *          miss(key) (Matcher._compute_key_candidates, a tuple) the first time a key is seen,
 *          without those whose needs[id] (the stems of the phrase's no-typo words, a
 *          frozenset) are not all in stems: Matcher.match_phrases would skip them.
 * The keys are looked up by their bytes: no str is made for a key already known. Like the
 * Python cache, it is emptied when it holds max_keys keys.
 */
#include <stdint.h>

#define INLINE_KEY 16

/* a key's phrase ids and stem; most keys have neither and no KVal */
typedef struct {
    PyObject *ids;  /* tuple */
    PyObject *stem; /* str, or NULL for None */
} KVal;

/* 32 bytes: two a cache line (the table is ~4 MB for the keys of a long chat history, so a
 * lookup costs about one memory access) */
typedef struct {
    uint32_t hash; /* 0: empty */
    uint32_t len;
    KVal *val; /* NULL: no phrase ids, no stem */
    union {
        char inl[INLINE_KEY];
        Py_ssize_t off; /* longer keys: their bytes in the arena */
    } key;
} KSlot;

typedef struct {
    PyObject_HEAD
    KSlot *slots;
    Py_ssize_t cap; /* a power of two */
    Py_ssize_t used;
    char *arena;
    Py_ssize_t arena_len, arena_cap;
    PyObject *miss;
    PyObject *stem_of;
    Py_ssize_t max_keys;
    PyObject *needs; /* tuple: per phrase id, a frozenset of stems */
} KeyIndex;

static uint32_t key_hash(const char *s, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (Py_ssize_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    uint32_t h32 = (uint32_t)(h ^ (h >> 32));
    return h32 ? h32 : 1;
}

static inline const char *slot_key(const KeyIndex *ix, const KSlot *sl) {
    return sl->len <= INLINE_KEY ? sl->key.inl : ix->arena + sl->key.off;
}

static KSlot *ki_find(KeyIndex *ix, const char *s, Py_ssize_t n, uint32_t h) {
    Py_ssize_t mask = ix->cap - 1, i = (Py_ssize_t)(h & (uint64_t)mask);
    for (;;) {
        KSlot *sl = &ix->slots[i];
        if (sl->hash == 0) return sl;
        if (sl->hash == h && (Py_ssize_t)sl->len == n && memcmp(slot_key(ix, sl), s, n) == 0) return sl;
        i = (i + 1) & mask;
    }
}

static void ki_clear(KeyIndex *ix) {
    for (Py_ssize_t i = 0; i < ix->cap; i++) {
        KSlot *sl = &ix->slots[i];
        if (sl->hash) {
            if (sl->val) {
                Py_CLEAR(sl->val->ids);
                Py_CLEAR(sl->val->stem);
                PyMem_Free(sl->val);
                sl->val = NULL;
            }
            sl->hash = 0;
        }
    }
    ix->used = 0;
    ix->arena_len = 0;
}

static int ki_grow(KeyIndex *ix) {
    Py_ssize_t ncap = ix->cap * 2;
    KSlot *ns = big_calloc(ncap, sizeof(KSlot));
    if (!ns) {
        PyErr_NoMemory();
        return -1;
    }
    KSlot *old = ix->slots;
    Py_ssize_t ocap = ix->cap;
    ix->slots = ns;
    ix->cap = ncap;
    for (Py_ssize_t i = 0; i < ocap; i++) {
        if (!old[i].hash) continue;
        Py_ssize_t j = (Py_ssize_t)(old[i].hash & (uint64_t)(ncap - 1));
        while (ns[j].hash) j = (j + 1) & (ncap - 1);
        ns[j] = old[i];
    }
    big_free(old);
    return 0;
}

/* the cache entry of a key, made through miss() the first time: a borrowed slot, valid until
 * the next call into Python */
static KSlot *ki_get(KeyIndex *ix, const char *s, Py_ssize_t n) {
    uint32_t h = key_hash(s, n);
    KSlot *sl = ki_find(ix, s, n, h);
    if (sl->hash) return sl;
    PyObject *key = PyUnicode_FromStringAndSize(s, n);
    if (!key) return NULL;
    PyObject *ids = PyObject_CallOneArg(ix->miss, key);
    if (!ids) {
        Py_DECREF(key);
        return NULL;
    }
    if (!PyTuple_Check(ids)) {
        Py_DECREF(key);
        Py_DECREF(ids);
        PyErr_SetString(PyExc_TypeError, "miss() must return a tuple");
        return NULL;
    }
    PyObject *stem = PyDict_GetItemWithError(ix->stem_of, key); /* borrowed */
    Py_DECREF(key);
    if (!stem && PyErr_Occurred()) {
        Py_DECREF(ids);
        return NULL;
    }
    Py_XINCREF(stem);
    /* miss() ran Python code: the table may have changed meanwhile, so it is probed afresh */
    if (ix->used >= ix->max_keys) ki_clear(ix);
    if ((ix->used + 1) * 4 > ix->cap * 3 && ki_grow(ix) < 0) goto fail;
    sl = ki_find(ix, s, n, h);
    if (sl->hash) { /* made meanwhile (another thread): keep that one */
        Py_DECREF(ids);
        Py_XDECREF(stem);
        return sl;
    }
    KVal *val = NULL; /* most keys have no phrase and no stem: no KVal */
    if ((PyTuple_GET_SIZE(ids) || stem) && !(val = PyMem_Malloc(sizeof(KVal)))) goto no_memory;
    if (n > INLINE_KEY) {
        if (ix->arena_len + n > ix->arena_cap) {
            Py_ssize_t ncap = (ix->arena_cap + n) * 2;
            char *na = PyMem_Realloc(ix->arena, ncap);
            if (!na) {
                PyMem_Free(val);
                goto no_memory;
            }
            ix->arena = na;
            ix->arena_cap = ncap;
        }
        memcpy(ix->arena + ix->arena_len, s, n);
        sl->key.off = ix->arena_len;
        ix->arena_len += n;
    } else {
        memcpy(sl->key.inl, s, n);
    }
    if (val) { /* the entry owns them */
        val->ids = ids;
        val->stem = stem;
    } else {
        Py_DECREF(ids);
    }
    sl->len = (uint32_t)n;
    sl->hash = h;
    sl->val = val;
    ix->used++;
    return sl;
no_memory:
    PyErr_NoMemory();
fail:
    Py_DECREF(ids);
    Py_XDECREF(stem);
    return NULL;
}

static int ki_take(KeyIndex *ix, const char *s, Py_ssize_t n, PyObject *ids_out, PyObject *stems_out) {
    KSlot *sl = ki_get(ix, s, n);
    if (!sl) return -1;
    if (!sl->val) return PySet_Add(stems_out, Py_None); /* no ids, no stem */
    /* copied out before any call that could run Python code */
    PyObject *ids = sl->val->ids, *stem = sl->val->stem ? sl->val->stem : Py_None;
    Py_INCREF(ids);
    Py_INCREF(stem);
    int rc = 0;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(ids) && rc == 0; k++)
        rc = PySet_Add(ids_out, PyTuple_GET_ITEM(ids, k));
    if (rc == 0) rc = PySet_Add(stems_out, stem);
    Py_DECREF(ids);
    Py_DECREF(stem);
    return rc;
}

static PyObject *ki_scan(KeyIndex *ix, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs < 1 || nargs > 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "scan(text: str, words: bool = True)");
        return NULL;
    }
    PyObject *arg = args[0];
    int want_words = nargs < 2 ? 1 : PyObject_IsTrue(args[1]);
    if (want_words < 0) return NULL;
    Words w;
    if (split_words(arg, &w) < 0) return NULL;
    char *joined = PyMem_Malloc(w.used + 1);
    PyObject *words = NULL, *ids = PySet_New(NULL), *stems = PyFrozenSet_New(NULL);
    PyObject *result = NULL;
    if (!joined || !ids || !stems) {
        if (!joined) PyErr_NoMemory();
        goto done;
    }
    const Py_ssize_t nw = w.count, *starts = w.starts, *lens = w.lens;
    for (Py_ssize_t k = 0; k < nw; k++)
        if (ki_take(ix, w.buf + starts[k], lens[k], ids, stems) < 0) goto done;
    /* the OCR joins (matcher._tokenize): a run stops between two long words */
    for (Py_ssize_t a = 0; a + 1 < nw; a++) {
        if (!(lens[a] <= 3 || lens[a + 1] <= 3)) continue;
        Py_ssize_t jl = lens[a];
        memcpy(joined, w.buf + starts[a], lens[a]);
        Py_ssize_t stop = a + MAX_JOIN < nw ? a + MAX_JOIN : nw;
        for (Py_ssize_t b = a + 1; b < stop; b++) {
            if (!(lens[b] <= 3 || lens[b - 1] <= 3)) break;
            memcpy(joined + jl, w.buf + starts[b], lens[b]);
            jl += lens[b];
            if (ki_take(ix, joined, jl, ids, stems) < 0) goto done;
        }
    }
    /* the phrases whose every no-typo word is in the text (subset of stems) */
    PyObject *kept = PySet_New(NULL);
    PyObject *it = kept ? PyObject_GetIter(ids) : NULL;
    if (!it) {
        Py_XDECREF(kept);
        goto done;
    }
    PyObject *id;
    while ((id = PyIter_Next(it)) != NULL) {
        Py_ssize_t pi = PyLong_AsSsize_t(id);
        if (pi < 0 || pi >= PyTuple_GET_SIZE(ix->needs)) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_IndexError, "a phrase id without needs");
            Py_DECREF(id);
            break;
        }
        PyObject *need = PyTuple_GET_ITEM(ix->needs, pi);
        int all = 1;
        if (PyAnySet_Check(need)) {
            PyObject *nit = PyObject_GetIter(need), *st;
            if (!nit) {
                Py_DECREF(id);
                break;
            }
            while (all && (st = PyIter_Next(nit)) != NULL) {
                int c = PySet_Contains(stems, st);
                Py_DECREF(st);
                if (c < 0) all = -1;
                else if (!c) all = 0;
            }
            Py_DECREF(nit);
            if (all < 0 || PyErr_Occurred()) {
                Py_DECREF(id);
                break;
            }
        }
        if (all && PySet_Add(kept, id) < 0) {
            Py_DECREF(id);
            break;
        }
        Py_DECREF(id);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        Py_DECREF(kept);
        goto done;
    }
    /* the words as str only when asked for or needed (a phrase to place): four texts in five
     * have no phrase, and their words are never looked at */
    if (want_words || PySet_GET_SIZE(kept) > 0) {
        words = PyList_New(nw);
        for (Py_ssize_t k = 0; words && k < nw; k++) {
            PyObject *word = PyUnicode_FromStringAndSize(w.buf + starts[k], lens[k]);
            if (!word) Py_CLEAR(words);
            else PyList_SET_ITEM(words, k, word);
        }
        if (!words) {
            Py_DECREF(kept);
            goto done;
        }
    } else {
        words = Py_None;
        Py_INCREF(words);
    }
    result = PyTuple_Pack(3, words, kept, stems);
    Py_DECREF(kept);
done:
    words_free(&w);
    PyMem_Free(joined);
    Py_XDECREF(words);
    Py_XDECREF(ids);
    Py_XDECREF(stems);
    return result;
}

static PyObject *ki_len(KeyIndex *ix, PyObject *Py_UNUSED(ignored)) { return PyLong_FromSsize_t(ix->used); }

static PyObject *ki_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    PyObject *miss, *stem_of, *needs;
    Py_ssize_t max_keys;
    static char *kwlist[] = {"miss", "stem_of", "max_keys", "needs", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO!nO!", kwlist, &miss, &PyDict_Type, &stem_of, &max_keys,
                                     &PyTuple_Type, &needs))
        return NULL;
    if (!PyCallable_Check(miss) || max_keys < 1) {
        PyErr_SetString(PyExc_TypeError, "KeyIndex(miss: callable, stem_of: dict, max_keys >= 1, needs: tuple)");
        return NULL;
    }
    KeyIndex *ix = (KeyIndex *)type->tp_alloc(type, 0);
    if (!ix) return NULL;
    ix->cap = 4096;
    ix->slots = big_calloc(ix->cap, sizeof(KSlot));
    if (!ix->slots) {
        Py_DECREF(ix);
        return PyErr_NoMemory();
    }
    Py_INCREF(miss);
    Py_INCREF(stem_of);
    Py_INCREF(needs);
    ix->miss = miss;
    ix->stem_of = stem_of;
    ix->needs = needs;
    ix->max_keys = max_keys;
    return (PyObject *)ix;
}

static int ki_traverse(KeyIndex *ix, visitproc visit, void *arg) {
    Py_VISIT(ix->miss);
    Py_VISIT(ix->stem_of);
    Py_VISIT(ix->needs);
    return 0;
}

static int ki_tp_clear(KeyIndex *ix) {
    if (ix->slots) ki_clear(ix);
    Py_CLEAR(ix->miss);
    Py_CLEAR(ix->stem_of);
    Py_CLEAR(ix->needs);
    return 0;
}

static void ki_dealloc(KeyIndex *ix) {
    PyObject_GC_UnTrack(ix);
    ki_tp_clear(ix);
    big_free(ix->slots);
    PyMem_Free(ix->arena);
    Py_TYPE(ix)->tp_free((PyObject *)ix);
}

static PyMethodDef ki_methods[] = {
    {"scan", (PyCFunction)(void (*)(void))ki_scan, METH_FASTCALL,
     "scan(text, words=True) -> (words, phrase ids, stems); words None when not asked for and no phrase id"},
    {"size", (PyCFunction)ki_len, METH_NOARGS, "size() -> keys held"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject KeyIndexType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "patterns._speedups.KeyIndex",
    .tp_basicsize = sizeof(KeyIndex),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The matcher's word-key cache and tokenizer (see the C source).",
    .tp_new = ki_new,
    .tp_dealloc = (destructor)ki_dealloc,
    .tp_traverse = (traverseproc)ki_traverse,
    .tp_clear = (inquiry)ki_tp_clear,
    .tp_methods = ki_methods,
};

static PyObject *big_allocators(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(ignored)) {
    return Py_BuildValue("(NN)", PyLong_FromVoidPtr((void *)(uintptr_t)&big_alloc),
                         PyLong_FromVoidPtr((void *)(uintptr_t)&big_free));
}

static PyMethodDef methods[] = {
    {"big_allocators", big_allocators, METH_NOARGS,
     "big_allocators() -> (alloc, free): addresses of void *(size_t) and void (void *) that put "
     "big blocks on huge pages (for hs_set_database_allocator)"},
    {"ascii_views", (PyCFunction)(void (*)(void))ascii_views, METH_FASTCALL,
     "ascii_views(text, alt); normalize.normalize and _alt_views for ASCII text"},
    {"views", (PyCFunction)(void (*)(void))views, METH_FASTCALL,
     "views(text, index, alt); the steps after to_simplified, and _alt_views"},
    {"set_chat_tables", (PyCFunction)(void (*)(void))set_chat_tables, METH_FASTCALL,
     "set_chat_tables(plain_table, fold_table)"},
    {"set_tables", (PyCFunction)(void (*)(void))set_tables, METH_FASTCALL,
     "set_tables(cjk_confusable, latin_confusable, homophone_rules)"},
    {"match_words", (PyCFunction)(void (*)(void))match_words, METH_FASTCALL,
     "match_words(phrase_words, words) -> (edits, first, last) or None; matcher._match_words"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "patterns._speedups", "Native per-line steps of the matcher.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__speedups(void) {
    if (PyType_Ready(&KeyIndexType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&KeyIndexType);
    if (PyModule_AddObject(m, "KeyIndex", (PyObject *)&KeyIndexType) < 0) {
        Py_DECREF(&KeyIndexType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
