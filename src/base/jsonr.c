#include "base/jsonr.h"

#include <string.h>

#include "base/utf8.h"

void jsonr_init(jsonr *p, const char *s, size_t n)
{
	p->s = s;
	p->n = n;
	p->pos = 0;
	p->first = 0;
}

static void ws(jsonr *p)
{
	while (p->pos < p->n) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

/* "column N: what" for a problem that starts at p->pos. */
static int fail_at(jsonr *p, err_t *e, const char *what)
{
	return err_set(e, ERR_FORMAT, "column %zu: %s", p->pos + 1, what);
}

/* "column N: what, found 'c'" for an unexpected character at p->pos. */
static int fail(jsonr *p, err_t *e, const char *what)
{
	if (p->pos >= p->n)
		return err_set(e, ERR_FORMAT, "column %zu: %s (line ends early)", p->pos + 1, what);
	unsigned char c = (unsigned char)p->s[p->pos];
	if (c >= 0x20 && c < 0x7f)
		return err_set(e, ERR_FORMAT, "column %zu: %s, found '%c'", p->pos + 1, what, c);
	return err_set(e, ERR_FORMAT, "column %zu: %s, found byte 0x%02x", p->pos + 1, what, c);
}

jsonr_kind jsonr_peek(jsonr *p)
{
	ws(p);
	if (p->pos >= p->n)
		return JSONR_BAD;
	switch (p->s[p->pos]) {
	case '{': return JSONR_OBJECT;
	case '[': return JSONR_ARRAY;
	case '"': return JSONR_STRING;
	case 'n': return JSONR_NULL;
	case 't': case 'f': return JSONR_BOOL;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return JSONR_NUMBER;
	default:
		return JSONR_BAD;
	}
}

static int expect(jsonr *p, char c, const char *what, err_t *e)
{
	ws(p);
	if (p->pos < p->n && p->s[p->pos] == c) {
		p->pos++;
		return 0;
	}
	return fail(p, e, what);
}

int jsonr_object(jsonr *p, err_t *e)
{
	if (expect(p, '{', "expected a JSON object '{'", e))
		return ERR_FORMAT;
	p->first = 1;
	return 0;
}

static int hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* Decodes the string at p->pos into out (NULL: only check it). */
static int string_into(jsonr *p, buf_t *out, err_t *e)
{
	size_t i, run;

	ws(p);
	if (p->pos >= p->n || p->s[p->pos] != '"')
		return fail(p, e, "expected a string");
	if (out)
		out->len = 0;
	i = run = ++p->pos;
	for (;;) {
		if (i >= p->n) {
			p->pos = i;
			return fail(p, e, "unterminated string");
		}
		unsigned char c = (unsigned char)p->s[i];
		if (c == '"')
			break;
		if (c < 0x20) {
			p->pos = i;
			return fail_at(p, e, "control character in string (must be escaped)");
		}
		if (c != '\\') {
			i++;
			continue;
		}
		if (out)
			buf_put(out, p->s + run, i - run);
		if (i + 1 >= p->n) {
			p->pos = i + 1;
			return fail(p, e, "unterminated string");
		}
		char esc = p->s[i + 1], ch = 0;
		switch (esc) {
		case '"': ch = '"'; break;
		case '\\': ch = '\\'; break;
		case '/': ch = '/'; break;
		case 'b': ch = '\b'; break;
		case 'f': ch = '\f'; break;
		case 'n': ch = '\n'; break;
		case 'r': ch = '\r'; break;
		case 't': ch = '\t'; break;
		case 'u': {
			unsigned v, lo;
			char enc[4];
			int m;
			if (i + 6 > p->n || hex4(p->s + i + 2, &v)) {
				p->pos = i;
				return fail_at(p, e, "bad \\u escape (want 4 hex digits)");
			}
			if (v >= 0xdc00 && v <= 0xdfff) {
				p->pos = i;
				return fail_at(p, e, "unpaired low surrogate in \\u escape");
			}
			if (v >= 0xd800 && v <= 0xdbff) {
				if (i + 12 > p->n || p->s[i + 6] != '\\' || p->s[i + 7] != 'u' ||
				    hex4(p->s + i + 8, &lo) || lo < 0xdc00 || lo > 0xdfff) {
					p->pos = i;
					return fail_at(p, e, "unpaired high surrogate in \\u escape");
				}
				v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			m = utf8_encode(v, enc);
			if (out)
				buf_put(out, enc, (size_t)m);
			i += 6;
			run = i;
			continue;
		}
		default:
			p->pos = i;
			return fail_at(p, e, "bad escape in string");
		}
		if (out)
			buf_put_u8(out, (uint8_t)ch);
		i += 2;
		run = i;
	}
	if (out) {
		buf_put(out, p->s + run, i - run);
		buf_put_u8(out, 0);
		if (out->failed)
			return err_set(e, ERR_NOMEM, "column %zu: out of memory", p->pos);
		out->len--; /* NUL terminator kept, not counted */
	}
	p->pos = i + 1;
	return 0;
}

int jsonr_string(jsonr *p, buf_t *out, err_t *e)
{
	return string_into(p, out, e);
}

int jsonr_key(jsonr *p, buf_t *key, err_t *e)
{
	ws(p);
	if (p->pos < p->n && p->s[p->pos] == '}') {
		p->pos++;
		p->first = 0;
		return 0;
	}
	if (!p->first && expect(p, ',', "expected ',' or '}' after an object member", e))
		return ERR_FORMAT;
	p->first = 0;
	ws(p);
	if (p->pos >= p->n || p->s[p->pos] != '"')
		return fail(p, e, "expected a member name in double quotes");
	int rc = string_into(p, key, e);
	if (rc)
		return rc;
	if (expect(p, ':', "expected ':' after a member name", e))
		return ERR_FORMAT;
	return 1;
}

int jsonr_number(jsonr *p, const char **s, size_t *n, err_t *e)
{
	size_t i, start;
	const char *t = p->s;

	ws(p);
	i = start = p->pos;
	if (i < p->n && t[i] == '-')
		i++;
	if (i < p->n && t[i] == '0') {
		i++;
	} else if (i < p->n && t[i] >= '1' && t[i] <= '9') {
		while (i < p->n && t[i] >= '0' && t[i] <= '9')
			i++;
	} else {
		p->pos = i;
		return fail(p, e, "expected a number");
	}
	if (i < p->n && t[i] == '.') {
		i++;
		if (i >= p->n || t[i] < '0' || t[i] > '9') {
			p->pos = i;
			return fail(p, e, "expected a digit after '.'");
		}
		while (i < p->n && t[i] >= '0' && t[i] <= '9')
			i++;
	}
	if (i < p->n && (t[i] == 'e' || t[i] == 'E')) {
		i++;
		if (i < p->n && (t[i] == '+' || t[i] == '-'))
			i++;
		if (i >= p->n || t[i] < '0' || t[i] > '9') {
			p->pos = i;
			return fail(p, e, "expected a digit in the exponent");
		}
		while (i < p->n && t[i] >= '0' && t[i] <= '9')
			i++;
	}
	*s = t + start;
	*n = i - start;
	p->pos = i;
	return 0;
}

static int literal(jsonr *p, const char *word, err_t *e)
{
	size_t l = strlen(word);

	ws(p);
	if (p->n - p->pos >= l && memcmp(p->s + p->pos, word, l) == 0) {
		p->pos += l;
		return 0;
	}
	return fail(p, e, "expected a JSON value");
}

int jsonr_null(jsonr *p, err_t *e)
{
	return literal(p, "null", e);
}

static int skip_value(jsonr *p, int depth, err_t *e)
{
	const char *s;
	size_t n;
	int rc;

	if (depth > JSONR_MAX_DEPTH)
		return fail(p, e, "values nested too deeply");
	switch (jsonr_peek(p)) {
	case JSONR_NULL: return literal(p, "null", e);
	case JSONR_BOOL: return literal(p, p->s[p->pos] == 't' ? "true" : "false", e);
	case JSONR_NUMBER: return jsonr_number(p, &s, &n, e);
	case JSONR_STRING: return string_into(p, NULL, e);
	case JSONR_ARRAY:
		p->pos++;
		ws(p);
		if (p->pos < p->n && p->s[p->pos] == ']') {
			p->pos++;
			return 0;
		}
		for (;;) {
			if ((rc = skip_value(p, depth + 1, e)))
				return rc;
			ws(p);
			if (p->pos < p->n && p->s[p->pos] == ']') {
				p->pos++;
				return 0;
			}
			if (expect(p, ',', "expected ',' or ']' in an array", e))
				return ERR_FORMAT;
		}
	case JSONR_OBJECT:
		p->pos++;
		p->first = 1;
		while ((rc = jsonr_key(p, NULL, e)) == 1)
			if ((rc = skip_value(p, depth + 1, e)))
				return rc;
		return rc; /* 0 after '}': the enclosing object has a member read */
	default:
		return fail(p, e, "expected a JSON value");
	}
}

int jsonr_skip(jsonr *p, err_t *e)
{
	return skip_value(p, 1, e);
}

int jsonr_end(jsonr *p, err_t *e)
{
	ws(p);
	if (p->pos < p->n)
		return fail(p, e, "unexpected text after the JSON value");
	return 0;
}
