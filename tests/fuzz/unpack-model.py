#!/usr/bin/env python3
"""Turns a model file into a fuzz_loader seed: a byte naming the component
(1 tagger, 0 classifier), then each section as tag, u32 length, payload."""
import gzip
import struct
import sys

raw = gzip.open(sys.argv[1], 'rb').read()
nl = raw.index(b'\n')
kind = raw[:nl].split()[2]
pos = nl + 1
out = bytearray([1 if kind == b'tagger' else 0])
while pos < len(raw):
    tag = raw[pos:pos + 4]
    (length,) = struct.unpack('<Q', raw[pos + 4:pos + 12])
    payload = raw[pos + 12:pos + 12 + length]
    pos += 12 + length + 4
    if tag == b'END\0':
        break
    out += tag + struct.pack('<I', length) + payload
open(sys.argv[2], 'wb').write(out)
