from desktop_dl.cli import main

raise SystemExit(main())
