"""Live preview for editors: `python -m pipeline preview SOURCE...` serves the
sources' and books' outputs on 127.0.0.1, rebuilds them in this warm process as
their inputs change, and the open pages update themselves (server-sent events).

targets.py decides what may be built and what a change touches; builder.py builds
(one worker thread); pages.py renders print pages (pdftoppm); watch.py watches
(watchfiles); server.py serves from memory and runs the whole until Ctrl-C."""
