"""evtag: code news articles into political event records (ctypes binding
over libevtag.so, the C API of evtag.h).

    import evtag
    records = evtag.classify(open("article.txt", encoding="utf-8", newline="").read(),
                             id="article.txt")
    # a list of dicts, one per sentence, equal to json.loads of each line
    # `evtag classify article.txt` prints

The library is found through $EVTAG_LIB (the path of libevtag.so), next to
this module, in ../build/ (a source tree after `make`), else by the system
loader (an installed libevtag.so.0). The models: classify(models=DIR), else
$EVTAG_MODELS, else the installed ones (as evtag_open(NULL) finds them).
One opened model set serves any number of threads; ctypes releases the GIL
during the coding, so threads code articles in parallel.
"""
import ctypes
import ctypes.util
import json
import os
import threading

__all__ = ["classify", "Models", "EvtagError", "version"]


class _Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 1024)]


class _Options(ctypes.Structure):
    _fields_ = [("threshold", ctypes.c_double), ("joint", ctypes.c_int),
                ("events_only", ctypes.c_int)]


class EvtagError(Exception):
    """A failed call: .code is the negative EVTAG_ERR_ code, the text the
    library's message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _candidates():
    env = os.environ.get("EVTAG_LIB")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    out = []
    for d in (here, os.path.join(here, os.pardir, "build")):
        for name in ("libevtag.so", "libevtag.so.0"):
            p = os.path.join(d, name)
            if os.path.exists(p):
                out.append(p)
    out.append(ctypes.util.find_library("evtag") or "libevtag.so.0")
    return out


def _load():
    errors = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError as e:
            errors.append(str(e))
    else:
        raise OSError("evtag: cannot load libevtag.so (set EVTAG_LIB to its path): "
                      + "; ".join(errors))
    P, S, D, I = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_double, ctypes.c_int
    err = ctypes.POINTER(_Error)
    for name, res, args in [
        ("evtag_version", ctypes.c_char_p, []),
        ("evtag_strerror", ctypes.c_char_p, [I]),
        ("evtag_open", I, [ctypes.POINTER(P), ctypes.c_char_p, ctypes.POINTER(_Options), err]),
        ("evtag_models_dir", ctypes.c_char_p, [P]),
        ("evtag_close", None, [P]),
        ("evtag_code", I, [P, ctypes.c_char_p, S, ctypes.c_char_p, ctypes.c_char_p,
                           ctypes.POINTER(P), err]),
        ("evtag_count", S, [P]),
        ("evtag_record_json", P, [P, S, ctypes.POINTER(S)]),
        ("evtag_records_free", None, [P]),
    ]:
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
    return lib


_lib = _load()


def version():
    """The library's version string."""
    return _lib.evtag_version().decode()


def _b(s):
    return None if s is None else s.encode("utf-8") if isinstance(s, str) else bytes(s)


class Models:
    """An open model set (evtag_open): folder dir, or None for the default
    search; the options of `evtag classify` (--threshold, --joint,
    --events-only). Usable from many threads; close() (or a with block)
    frees it."""

    def __init__(self, dir=None, threshold=0.0, joint=False, events_only=False):
        self._lib = _lib
        self._h = ctypes.c_void_p()
        opt = _Options(float(threshold), int(bool(joint)), int(bool(events_only)))
        e = _Error()
        if _lib.evtag_open(ctypes.byref(self._h), _b(dir), ctypes.byref(opt), ctypes.byref(e)) < 0:
            raise EvtagError(e.code, e.message.decode("utf-8", "replace"))

    @property
    def dir(self):
        """The folder the models were read from."""
        return _lib.evtag_models_dir(self._h).decode("utf-8", "replace")

    def lines(self, text, date=None, id=None):
        """The article's records as the JSON lines `evtag classify` prints
        (str, newline included). text: str or UTF-8 bytes; date
        "YYYY-MM-DD" or None (the text's "date YYYY-MM-DD" prefix, if any);
        id: the records' "doc", or None (null)."""
        if not self._h:
            raise ValueError("evtag: the model set is closed")
        data = _b(text)
        recs = ctypes.c_void_p()
        e = _Error()
        if _lib.evtag_code(self._h, data, len(data), _b(date), _b(id), ctypes.byref(recs),
                           ctypes.byref(e)) < 0:
            raise EvtagError(e.code, e.message.decode("utf-8", "replace"))
        try:
            out = []
            n = ctypes.c_size_t()
            for i in range(_lib.evtag_count(recs)):
                p = _lib.evtag_record_json(recs, i, ctypes.byref(n))
                out.append(ctypes.string_at(p, n.value).decode("utf-8"))
            return out
        finally:
            _lib.evtag_records_free(recs)

    def classify(self, text, date=None, id=None):
        """The article's records as a list of dicts (json.loads of lines())."""
        return [json.loads(line) for line in self.lines(text, date, id)]

    def close(self):
        if getattr(self, "_h", None):
            self._lib.evtag_close(self._h)
            self._h = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


_open = {}
_open_lock = threading.Lock()


def classify(text, date=None, id=None, models=None):
    """Codes one article: a list of dicts, one per sentence, equal to
    json.loads of each JSON line `evtag classify` prints for it. models: a
    Models, a folder, or None (the default search); a folder's model set is
    opened once and kept for later calls."""
    if not isinstance(models, Models):
        with _open_lock:
            m = _open.get(models)
            if m is None:
                m = _open[models] = Models(models)
        models = m
    return models.classify(text, date, id)
