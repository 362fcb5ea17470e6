"""The build cache in ``config.cache_dir`` (``.cache/``): data only, never trusted, safe to delete.

Layout (every file but the body packs written by :func:`sitegen.cache.files.write_atomic`; a
pack is only appended to by the one process that made it, and is named by a record only once
that process's build has ended; every record behind the checked header of
:mod:`sitegen.cache.files`, JSON, version :data:`files.VERSION`; a pack is a row of such records):

=================================  ==========================================================
``stat-index.json``                each source's stat and source digest, in columns (:mod:`.stat_index`)
``parsed-00.json`` … ``-0f.json``  documents without bodies, by source digest (:mod:`.parses`)
``parsed/<pack name>.pack``        the documents' Markdown and converted HTML, appended by each
                                   converting process to a pack of its own (:mod:`.packs`); each
                                   document's record in ``parsed-XX.json`` names its body's place
``bodies-00.json`` … ``-0f.json``  links and problems of resolved bodies (:mod:`sitegen.bodies`)
``manifest-<output digest>.json``  the output folder as the last build left it
                                   (:mod:`sitegen.incremental`); not the build's summary and
                                   warnings, which only the fast record keeps and replays
``fast-<output digest>.json``      the no-change fast path's record (:mod:`sitegen.fastpath`)
``dates.json``                     days in words as Babel wrote them, under its identity (:mod:`sitegen.dates`)
``media/<image digest>.json``      an image's size and variants (:mod:`.images`), next to the
                                   encoded variant files ``<name>-<width>.<digest>.<ext>``
``compiled/<digest>.jinja``        a template's compiled code (by template digest) behind an HMAC
                                   tag, used only when a key outside the project verifies it
                                   (:mod:`sitegen.template_cache`)
``preview/``                       ``serve``'s output folder (a site, not a record)
=================================  ==========================================================

Next to the output folder, not in the cache: ``.public.spare`` (the site before the live
one, reused by the next build only when the manifest vouches for its identity) and the
build lock ``.public.lock`` (:mod:`sitegen.output`).

Naming: a *digest* is the SHA-256 (hex) of named inputs; ``<thing>_digest`` is the digest
of exactly the inputs its docstring lists.  The ones the cache is keyed by:

* generator digest: the generator's source code and :data:`files.VERSION`;
* parse digest: the generator digest, the Markdown settings and the config values parsing
  reads (time zone, languages, news folders, messages language, folders);
* source digest: parse digest + a source's place + the digest of its bytes;
* link digest: parse digest + every config value + every document's place and address +
  the content assets; body digest: link digest + one document;
* site digest: parse digest + every config value (the tag vocabulary, ``tags:``, included:
  pages show its labels and addresses) + every template file + asset URLs + drafts flag;
  page digest: site digest + everything one page's template sees;
  page depends digest: site digest + shell digest + what a page's values are made from;
* image digest: Pillow's version, the encoding settings and the image's bytes;
* output digest: the output folder's path (one manifest and fast record per output);
* template digest: a template's name and file path; compile digest: Jinja's and Python's
  versions and the Jinja settings that change compiled code;
* inputs digest (fast path): the path and stat of every file under content/, templates/,
  static/ and of the config file (with the SHA-256 of the bytes of each file changed
  less than :data:`files.RACY_NS` before it was taken).

The invalidation rule: an output is made again when a digest of its inputs differs
from the recorded one, and every input is in the digest of each output that reads it:

* a parsed document is stale when its source digest changes: the file's bytes or
  place, the Markdown settings, the config values parsing reads, or the generator (its
  body, in a pack, is found only through its record, and must name the same digest);
* a resolved body is stale when its body digest changes: the document, any document's
  address, the content assets, any config value or the generator;
* a page is stale when its page digest changes: anything its template sees, any template
  file, any config value, the asset URLs or the generator;
* an image's variants are stale when its image digest changes;
* a feed or the sitemap is stale when its key changes (:mod:`sitegen.feeds`: the site digest
  + every value it shows; recorded next to the pages in the manifest);
* a day in words is stale when Babel's identity changes (the digest of its ``__init__.py``);
* a compiled template is used only when its tag verifies: the template digest, the source's
  checksum, the compile digest and the code, under the key (else compiled and written again);
* the whole output is reused untouched (fast path) only when the inputs digest, the
  command-line options, the output folder and the generator are the same, every file
  changed less than :data:`files.RACY_NS` before the last fingerprint still has the bytes
  hashed then (a write in the same clock tick can keep a file's stat), nothing goes live
  or expires meanwhile, and every page is still the file the last build wrote.

Nothing else can make an output stale because nothing else is read: a build reads only
the config, content/, templates/, static/ and the generator's code, each of which is in
the digests above; the time of day enters through go-live and expiry (``valid_until``).
The property test in ``tests/test_incremental.py`` checks it against clean builds.

What a record read back can do: nothing but be used as data of its declared type.  Every
record is decoded into a frozen dataclass by the type-checking codec (:mod:`.codec`), its
ranges and paths are checked (:mod:`.checks`; a body's place must lie inside a pack named by
32 hex digits), and an invalid record, a file of the wrong
kind (a folder, a link, a truncated file) or a cache that cannot be written is noted
(:class:`files.Notices`) and the work is done again.  Paths are never taken from a
record where they can be derived (image variants); where they are read (the manifest's
output files) they must stay inside their folder.  ``--no-cache`` reads and writes
nothing here.  The checksums detect damage, not intent: whoever can write the cache can
still change what pages say (as whoever can write content/ can), but cannot run code or
reach a file outside the project; build untrusted caches with ``--no-cache``.  The one entry
that is code, a compiled template, is unmarshalled only after its HMAC-SHA256 tag verified
with a secret key kept outside the project and the cache (:mod:`sitegen.template_cache`).
"""
