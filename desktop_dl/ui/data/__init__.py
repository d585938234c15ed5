"""The Data tab: dataset browser, import dialogs, sample grid, histogram."""
