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

#define MAX_JOIN 3 /* matcher.MAX_JOIN */

static inline int is_word_char(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* ------------------------------------------------------------------ tokenize
 * matcher._tokenize: the words of a folded text (regex [a-z0-9]+(?:'[a-z0-9]+)* with the
 * apostrophes taken out) and the keys: every word and every OCR-joined run of up to MAX_JOIN
 * pieces where a short piece (<= 3 letters) meets its neighbour.
 * tokenize(text) -> (words: list[str], keys: set[str])
 */
static PyObject *tokenize(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "tokenize() needs a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    char *buf = PyMem_Malloc(n + 1);
    /* word k is buf[starts[k] : starts[k] + lens[k]]; at most n / 2 + 1 words */
    Py_ssize_t cap = n / 2 + 2;
    Py_ssize_t *starts = PyMem_Malloc(sizeof(Py_ssize_t) * cap);
    Py_ssize_t *lens = PyMem_Malloc(sizeof(Py_ssize_t) * cap);
    PyObject *words = NULL, *keys = NULL, *result = NULL;
    if (!buf || !starts || !lens) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t nw = 0, used = 0, i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_word_char(c)) {
            i++;
            continue;
        }
        starts[nw] = used;
        while (i < n) {
            c = PyUnicode_READ(kind, data, i);
            if (is_word_char(c)) {
                buf[used++] = (char)c;
                i++;
            } else if (c == '\'' && i + 1 < n && is_word_char(PyUnicode_READ(kind, data, i + 1))) {
                i++; /* the apostrophe is part of the match, left out of the word */
            } else {
                break;
            }
        }
        lens[nw] = used - starts[nw];
        nw++;
    }
    words = PyList_New(nw);
    keys = PySet_New(NULL);
    if (!words || !keys) goto done;
    for (Py_ssize_t k = 0; k < nw; k++) {
        PyObject *w = PyUnicode_FromStringAndSize(buf + starts[k], lens[k]);
        if (!w) goto done;
        PyList_SET_ITEM(words, k, w);
        if (PySet_Add(keys, w) < 0) goto done;
    }
    /* joins of OCR pieces: a run stops between two long words */
    char *joined = PyMem_Malloc(used + 1);
    if (!joined) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t a = 0; a + 1 < nw; a++) {
        if (!(lens[a] <= 3 || lens[a + 1] <= 3)) continue;
        Py_ssize_t jl = lens[a];
        memcpy(joined, buf + starts[a], lens[a]);
        Py_ssize_t stop = a + MAX_JOIN < nw ? a + MAX_JOIN : nw;
        for (Py_ssize_t b = a + 1; b < stop; b++) {
            if (!(lens[b] <= 3 || lens[b - 1] <= 3)) break;
            memcpy(joined + jl, buf + starts[b], lens[b]);
            jl += lens[b];
            PyObject *key = PyUnicode_FromStringAndSize(joined, jl);
            if (!key || PySet_Add(keys, key) < 0) {
                Py_XDECREF(key);
                PyMem_Free(joined);
                goto done;
            }
            Py_DECREF(key);
        }
    }
    PyMem_Free(joined);
    result = PyTuple_Pack(2, words, keys);
done:
    PyMem_Free(buf);
    PyMem_Free(starts);
    PyMem_Free(lens);
    Py_XDECREF(words);
    Py_XDECREF(keys);
    return result;
}

/* ------------------------------------------------------------------ key candidates
 * The loop of Matcher._candidates over a text's keys: each key's phrase ids from the cache
 * (a dict key -> tuple of ints), or from miss(key) (which fills the cache), added to out.
 * add_key_candidates(keys, cache, miss, out) -> None
 */
static PyObject *add_key_candidates(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 || !PyDict_Check(args[1]) || !PySet_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "add_key_candidates(keys, cache: dict, miss, out: set)");
        return NULL;
    }
    PyObject *cache = args[1], *miss = args[2], *out = args[3];
    PyObject *it = PyObject_GetIter(args[0]);
    if (!it) return NULL;
    PyObject *key;
    while ((key = PyIter_Next(it)) != NULL) {
        PyObject *ids = PyDict_GetItemWithError(cache, key); /* borrowed */
        PyObject *owned = NULL;
        if (ids == NULL) {
            if (PyErr_Occurred()) goto fail_key;
            ids = owned = PyObject_CallOneArg(miss, key);
            if (!ids) goto fail_key;
        }
        if (!PyTuple_Check(ids)) {
            PyErr_SetString(PyExc_TypeError, "candidate ids must be a tuple");
            Py_XDECREF(owned);
            goto fail_key;
        }
        Py_ssize_t m = PyTuple_GET_SIZE(ids);
        for (Py_ssize_t k = 0; k < m; k++) {
            if (PySet_Add(out, PyTuple_GET_ITEM(ids, k)) < 0) {
                Py_XDECREF(owned);
                goto fail_key;
            }
        }
        Py_XDECREF(owned);
        Py_DECREF(key);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
fail_key:
    Py_DECREF(key);
    Py_DECREF(it);
    return NULL;
}


/* ------------------------------------------------------------------ ASCII normalisation
 * normalize.normalize and normalize._alt_views for text that is all ASCII (most English
 * chat): the same steps in the same order, with the same offsets back to the source. Steps
 * that cannot change ASCII text (NFKC, Traditional -> Simplified, CJK confusables and
 * homophones) are left out. A view is a char buffer and, once some step changed its length
 * (Norm.keep / substitute), an index into the source (``mat``); as in Python, until then the
 * index is the identity and is returned as None.
 */
typedef struct {
    char *s;
    Py_ssize_t *idx;
    Py_ssize_t n;
    int mat; /* the index was materialised (Norm._index is not None) */
} View;

static void view_free(View *v) {
    PyMem_Free(v->s);
    PyMem_Free(v->idx);
    v->s = NULL;
    v->idx = NULL;
}

static int view_alloc(View *v, Py_ssize_t cap) {
    v->s = PyMem_Malloc(cap + 1);
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
    memcpy(dst->s, src->s, src->n);
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

static inline int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline int is_alpha(char c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }
static inline int is_digit(char c) { return c >= '0' && c <= '9'; }
/* str.isspace() / the regex \s on ASCII */
static inline int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }
static inline int is_printable(char c) { return c >= 0x20 && c < 0x7f; }

/* drop_invisible: ASCII controls other than \n \t \r */
static int step_drop_invisible(View *v) {
    int any = 0;
    for (Py_ssize_t i = 0; i < v->n; i++) {
        char c = v->s[i];
        if (!is_printable(c) && c != '\n' && c != '\t' && c != '\r') {
            any = 1;
            break;
        }
    }
    if (!any) return 0;
    char *mask = PyMem_Malloc(v->n + 1);
    if (!mask) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < v->n; i++) {
        char c = v->s[i];
        mask[i] = is_printable(c) || c == '\n' || c == '\t' || c == '\r';
    }
    view_keep(v, mask);
    PyMem_Free(mask);
    return 0;
}

static void step_fold_case(View *v) {
    for (Py_ssize_t i = 0; i < v->n; i++) {
        char c = v->s[i];
        if (c >= 'A' && c <= 'Z') v->s[i] = (char)(c + 32);
    }
}

/* squeeze_spaces (no CJK in ASCII): whitespace runs at either end go, others become one space */
static int step_squeeze(View *v) {
    Py_ssize_t n = v->n;
    int needed = n > 0 && (v->s[0] == ' ' || v->s[n - 1] == ' ');
    for (Py_ssize_t i = 0; i < n && !needed; i++) {
        if (!is_printable(v->s[i]) || (v->s[i] == ' ' && i + 1 < n && v->s[i + 1] == ' ')) needed = 1;
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
        if (s == 0 || i == n) {
            memset(mask + s, 0, i - s);
        } else {
            v->s[s] = ' ';
            memset(mask + s + 1, 0, i - s - 1);
        }
    }
    view_keep(v, mask); /* Python keeps through the mask whenever it gets this far */
    PyMem_Free(mask);
    return 0;
}

/* fold_confusables, the ASCII entries of _LATIN_CONFUSABLE */
static void step_confusables(View *v) {
    for (Py_ssize_t i = 0; i < v->n; i++) {
        char c = v->s[i];
        if (c == '|' || c == 'l')
            v->s[i] = 'i';
        else if (c == '`')
            v->s[i] = '\'';
    }
}

static inline int is_leet(char c) {
    return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7' || c == '@' || c == '$' || c == '!';
}
static inline int in_leet_word(char c) { return is_lower(c) || is_digit(c) || c == '@' || c == '$' || c == '!'; }
static inline char unleet(char c) {
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

static inline int is_spaced_sep(char c) {
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == ',' || c == '+' || c == '~';
}

/* collapse_spaced_letters: (?<![a-z])[a-z](?:[ .\-_*,+~][a-z]){2,}(?![a-z]), separators dropped */
static int step_collapse(View *v) {
    Py_ssize_t n = v->n;
    int cand = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = v->s[i];
        if (c == ' ' || c == '.' || c == '-') {
            cand = 1;
            break;
        }
    }
    if (!cand) return 0;
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
            if (!is_alpha(v->s[q])) mask[q] = 0;
        p = j;
    }
    if (mask) {
        view_keep(v, mask);
        PyMem_Free(mask);
    }
    return 0;
}

/* fold_sound_alikes: oo|ph|(?<=[a-z]{2})z(?![a-z])|(?<=[a-z])x{2,} -> u, f, s, x
 * (substitute: each replacement character maps to the source of the match's first) */
static int step_sound(View *v) {
    Py_ssize_t n = v->n;
    int cand = 0;
    for (Py_ssize_t i = 0; i < n && !cand; i++) {
        char c = v->s[i];
        if (c == 'z' || (i + 1 < n && ((c == 'o' && v->s[i + 1] == 'o') || (c == 'p' && v->s[i + 1] == 'h') ||
                                       (c == 'x' && v->s[i + 1] == 'x'))))
            cand = 1;
    }
    if (!cand) return 0;
    View out;
    if (view_alloc(&out, n) < 0) return -1;
    Py_ssize_t i = 0, j = 0;
    int matched = 0;
    while (i < n) {
        char c = v->s[i], rep = 0;
        Py_ssize_t e = i;
        if (c == 'o' && i + 1 < n && v->s[i + 1] == 'o') {
            rep = 'u';
            e = i + 2;
        } else if (c == 'p' && i + 1 < n && v->s[i + 1] == 'h') {
            rep = 'f';
            e = i + 2;
        } else if (c == 'z' && i >= 2 && is_lower(v->s[i - 1]) && is_lower(v->s[i - 2]) &&
                   !(i + 1 < n && is_lower(v->s[i + 1]))) {
            rep = 's';
            e = i + 1;
        } else if (c == 'x' && i >= 1 && is_lower(v->s[i - 1]) && i + 1 < n && v->s[i + 1] == 'x') {
            rep = 'x';
            e = i + 2;
            while (e < n && v->s[e] == 'x') e++;
        }
        if (rep) {
            out.s[j] = rep;
            out.idx[j] = v->idx[i];
            j++;
            i = e;
            matched = 1;
        } else {
            out.s[j] = c;
            out.idx[j] = v->idx[i];
            j++;
            i++;
        }
    }
    if (!matched) {
        view_free(&out);
        return 0;
    }
    view_free(v);
    out.n = j;
    out.mat = 1;
    *v = out;
    return 0;
}

static inline int in_chat_run(char c) { return is_lower(c) || is_digit(c) || c == '\''; }

/* _CodeSwitch.apply for a list of single words (the chat spellings): each run of [a-z0-9']
 * that is a key of ``table`` is replaced by its value (the first character maps to the run's
 * start, the others to its end), then squeeze_spaces. Returns 1 when something was replaced,
 * 0 when not, -1 on error, 2 when a replacement is not ASCII (the caller falls back). */
static int step_chat(View *v, PyObject *table) {
    Py_ssize_t n = v->n, i = 0;
    View out = {NULL, NULL, 0, 0};
    Py_ssize_t cap = 0, j = 0, last = 0;
    int matched = 0;
    while (i < n) {
        if (!in_chat_run(v->s[i])) {
            i++;
            continue;
        }
        Py_ssize_t s = i;
        while (i < n && in_chat_run(v->s[i])) i++;
        PyObject *key = PyUnicode_FromStringAndSize(v->s + s, i - s);
        if (!key) goto fail;
        PyObject *rep = PyDict_GetItemWithError(table, key); /* borrowed */
        Py_DECREF(key);
        if (!rep) {
            if (PyErr_Occurred()) goto fail;
            continue;
        }
        if (!PyUnicode_Check(rep) || !PyUnicode_IS_ASCII(rep)) {
            view_free(&out);
            return 2;
        }
        Py_ssize_t rn = PyUnicode_GET_LENGTH(rep);
        const char *rs = (const char *)PyUnicode_1BYTE_DATA(rep);
        Py_ssize_t need = j + (s - last) + rn + (n - i);
        if (need > cap) {
            Py_ssize_t ncap = need * 2 + 16;
            char *ns = PyMem_Realloc(out.s, ncap + 1);
            if (ns) out.s = ns;
            Py_ssize_t *ni = ns ? PyMem_Realloc(out.idx, sizeof(Py_ssize_t) * (ncap + 1)) : NULL;
            if (!ns || !ni) {
                PyErr_NoMemory();
                goto fail;
            }
            out.idx = ni;
            cap = ncap;
        }
        memcpy(out.s + j, v->s + last, s - last);
        memcpy(out.idx + j, v->idx + last, sizeof(Py_ssize_t) * (s - last));
        j += s - last;
        for (Py_ssize_t r = 0; r < rn; r++) {
            out.s[j] = rs[r];
            out.idx[j] = r == 0 ? v->idx[s] : v->idx[i - 1];
            j++;
        }
        last = i;
        matched = 1;
    }
    if (!matched) return 0;
    memcpy(out.s + j, v->s + last, n - last);
    memcpy(out.idx + j, v->idx + last, sizeof(Py_ssize_t) * (n - last));
    j += n - last;
    out.n = j;
    out.mat = 1;
    view_free(v);
    *v = out;
    return step_squeeze(v) < 0 ? -1 : 1;
fail:
    view_free(&out);
    return -1;
}

static int view_equal_text(const View *a, const View *b) {
    return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* (text, index tuple or None) */
static PyObject *view_result(const View *v) {
    PyObject *text = PyUnicode_FromStringAndSize(v->s, v->n);
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

/* ascii_views(text, plain_table, fold_table) -> None when the text is not all ASCII, else
 * (plain, fold, alt_plain, alt_fold), each (text, index or None); alt_plain / alt_fold are None
 * when the same as plain / fold (_alt_views returns those very views), and both None without
 * tables (the chat-spelling tables of _chat_plain / _chat_fold, keys -> values, made by
 * normalize itself). */
static PyObject *ascii_views(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "ascii_views(text, plain_table, fold_table)");
        return NULL;
    }
    PyObject *text = args[0], *ptable = args[1], *ftable = args[2];
    int tables = ptable != Py_None && ftable != Py_None;
    if (tables && (!PyDict_Check(ptable) || !PyDict_Check(ftable))) {
        PyErr_SetString(PyExc_TypeError, "the chat tables must be dicts");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(text)) Py_RETURN_NONE;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const char *src = (const char *)PyUnicode_1BYTE_DATA(text);
    View plain = {NULL, NULL, 0, 0}, fold = {NULL, NULL, 0, 0}, base = {NULL, NULL, 0, 0},
         afold = {NULL, NULL, 0, 0};
    PyObject *result = NULL, *r_plain = NULL, *r_fold = NULL, *r_ap = NULL, *r_af = NULL;
    if (view_alloc(&plain, n) < 0) return NULL;
    memcpy(plain.s, src, n);
    for (Py_ssize_t i = 0; i < n; i++) plain.idx[i] = i;
    plain.n = n;
    /* PLAIN_STEPS */
    if (step_drop_invisible(&plain) < 0) goto done;
    step_fold_case(&plain);
    if (step_squeeze(&plain) < 0) goto done;
    /* FOLD_STEPS */
    if (view_copy(&fold, &plain) < 0) goto done;
    step_confusables(&fold);
    step_leet(&fold);
    if (step_collapse(&fold) < 0) goto done;
    if (step_sound(&fold) < 0) goto done;
    int ap_same = 1, af_same = 1;
    if (tables) {
        /* _alt_views: plain with leetspeak and spaced letters undone, then chat spellings */
        if (view_copy(&base, &plain) < 0) goto done;
        step_leet(&base);
        if (step_collapse(&base) < 0) goto done;
        int got = step_chat(&base, ptable);
        if (got < 0) goto done;
        if (got == 2) { /* a non-ASCII replacement: Python does it */
            result = Py_None;
            Py_INCREF(result);
            goto done;
        }
        if (got == 1) {
            if (view_copy(&afold, &fold) < 0) goto done;
            int gf = step_chat(&afold, ftable);
            if (gf < 0) goto done;
            if (gf == 2) {
                result = Py_None;
                Py_INCREF(result);
                goto done;
            }
            af_same = gf == 0;
        }
        ap_same = view_equal_text(&base, &plain);
    }
    r_plain = view_result(&plain);
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
    view_free(&plain);
    view_free(&fold);
    view_free(&base);
    view_free(&afold);
    return result;
}

static PyMethodDef methods[] = {
    {"tokenize", tokenize, METH_O, "tokenize(text) -> (words, keys); matcher._tokenize"},
    {"add_key_candidates", (PyCFunction)(void (*)(void))add_key_candidates, METH_FASTCALL,
     "add_key_candidates(keys, cache, miss, out); the key loop of Matcher._candidates"},
    {"ascii_views", (PyCFunction)(void (*)(void))ascii_views, METH_FASTCALL,
     "ascii_views(text, plain_table, fold_table); normalize.normalize and _alt_views for ASCII text"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "patterns._speedups", "Native per-line steps of the matcher.", -1, methods,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
