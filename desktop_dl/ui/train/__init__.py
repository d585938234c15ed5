"""The Train tab: settings, worker adapter, live curves, runs, confusion matrix, mistakes."""
