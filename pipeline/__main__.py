# Signals first: an interrupt during the imports below must end the build too.
from .interrupt import install

install()

from .cli import main  # noqa: E402

raise SystemExit(main())
