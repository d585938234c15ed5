"""`desktop-dl` / `python -m desktop_dl`: the app with no arguments, headless tools with them.

Each sub-command lives in desktop_dl/commands/<name>.py as `run(args) -> int` and is imported only
when used, so `desktop-dl --help` and `summary` never pay for TensorFlow.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from desktop_dl import __version__
from desktop_dl.core import i18n
from desktop_dl.core.i18n import _, choose_language, set_language

MAX_MESSAGE_CHARS = 2000      # one error line; longer text from a file is cut


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-dl",
        description=_("Build, train and use neural networks without writing code. With no "
                      "command, opens the app."))
    parser.add_argument("--version", action="version", version=f"desktop-dl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # One builder per command, in the order `--help` lists them.
    _add_list_commands(sub)
    _add_data_command(sub)
    _add_summary_command(sub)
    _add_train_command(sub)
    _add_export_command(sub)
    _add_predict_command(sub)
    return parser


def _add_list_commands(sub) -> None:
    """`templates` and `datasets`: the names the other commands accept."""
    p = sub.add_parser("templates", help=_("list the model templates"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of one name per "
                                                         "line"))

    p = sub.add_parser("datasets", help=_("list the built-in datasets"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of one name per "
                                                         "line"))


def _add_data_command(sub) -> None:
    """`data`: a dataset as the app reads it."""
    from desktop_dl.commands.data import json_help
    p = sub.add_parser("data", help=_("show a dataset as the app reads it: types, classes, "
                                      "notes"),
                       description=_("Show a dataset exactly as the app reads it (kind, task, "
                                     "counts, input shape, column types, classes, the reader's "
                                     "choices and every note)."),
                       epilog=json_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dataset", metavar="PATH_OR_NAME",
                   help=_("a built-in dataset name or a file/folder/.zip to import"))
    p.add_argument("--target", metavar="COLUMN", help=_("target column, for tables"))
    _reader_flags(p)
    p.add_argument("--size", type=_positive_int, default=None, metavar="PIXELS",
                   help=_("image folders: side length the pictures are resized to (default 28)"))
    p.add_argument("--color", choices=["grayscale", "rgb"], default=None,
                   help=_("image folders: read pictures as grey or colour (default grayscale)"))
    p.add_argument("--json", action="store_true",
                   help=_("print one JSON object (keys: name, title, source, kind, task, "
                          "samples, input_shape, classes, reader, columns, split, notes, "
                          "warnings, samples_file)"))
    p.add_argument("--samples", metavar="OUT.npz",
                   help=_("also write the model-ready arrays x, y, split, class_names"))


def _add_summary_command(sub) -> None:
    """`summary`: shapes and parameter counts, without TensorFlow."""
    p = sub.add_parser("summary", help=_("layer-by-layer output shapes and parameter counts "
                                         "(no TensorFlow)"))
    _model_source(p)
    p.add_argument("--json", action="store_true", help=_("print JSON"))


def _add_train_command(sub) -> None:
    """`train`: a headless training run (or fine-tuning with --from)."""
    p = sub.add_parser("train", help=_("train a model without a window and export it"))
    group = _model_source(p)
    group.add_argument("--from", dest="from_model", metavar="MODEL.keras",
                       help=_("fine-tune this trained model (its architecture and weights) on "
                              "--dataset"))
    p.add_argument("--replay", default="auto", metavar="NAME",
                   help=_("with --from: a dataset replayed during fine-tuning so the model "
                          "does not forget it (auto: the bundled MNIST digits for digit "
                          "models; none: off)"))
    p.add_argument("--dataset", required=True, metavar="NAME_OR_PATH",
                   help=_("a built-in dataset name (see `desktop-dl datasets`) or a "
                          "file/folder to import"))
    p.add_argument("--target", metavar="COLUMN", help=_("target column, for CSV tables"))
    _reader_flags(p)
    p.add_argument("--epochs", type=_positive_int, default=None,
                   help=_("default: the template's own (5 for most)"))
    p.add_argument("--batch-size", type=_positive_int, default=None,
                   help=_("default: the template's own (64 for most)"))
    p.add_argument("--learning-rate", type=float, default=None)
    p.add_argument("--optimizer", default=None, help=_("sgd, rmsprop, adam, adamw or adagrad"))
    from desktop_dl.core.templates import SCHEDULES
    p.add_argument("--schedule", default=None, choices=SCHEDULES,
                   help=_("learning-rate schedule (default: the template's own, none for most)"))
    p.add_argument("--validation-split", type=float, default=None, metavar="FRACTION",
                   help=_("share of the data kept for validation (default: the dataset's, 0.1)"))
    p.add_argument("--test-split", type=float, default=None, metavar="FRACTION",
                   help=_("share of the data kept for the final test (default: the dataset's, "
                          "0.1)"))
    p.add_argument("--early-stopping", type=int, default=0, metavar="PATIENCE",
                   help=_("stop when validation loss has not improved for PATIENCE epochs (0: "
                          "off)"))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto", help=_("auto, cpu, gpu:0, ..."))
    p.add_argument("--backend", default=None, choices=["tensorflow", "jax", "torch"],
                   help=_("the Keras backend to train with (default: TensorFlow where it is "
                          "installed, else whichever is)"))
    p.add_argument("--stream", action="store_true",
                   help=_("read images from disk while training instead of loading them (npz, "
                          "IDX or image folders larger than memory)"))
    p.add_argument("--out", default="desktop_dl_run", metavar="DIR")
    p.add_argument("--quiet", action="store_true", help=_("print only the final JSON line"))


def _add_export_command(sub) -> None:
    """`export`: a trained model to ONNX, SavedModel, .keras or Python."""
    p = sub.add_parser("export", help=_("export a trained .keras model to ONNX, SavedModel or "
                                        "Python"))
    p.add_argument("model", help=_("a .keras file (or a spec JSON for --format python)"))
    p.add_argument("--format", choices=["onnx", "keras", "savedmodel", "python"], default="onnx")
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--opset", type=int, default=None)
    p.add_argument("--dataset", default=None, help=_("dataset for the parity check and metadata"))


def _add_predict_command(sub) -> None:
    """`predict`: digits in pictures, with an ONNX model."""
    p = sub.add_parser("predict", help=_("recognise pictures of digits with an ONNX model"))
    p.add_argument("model", help=_("an .onnx file"))
    p.add_argument("images", nargs="+", metavar="IMAGE", help=_("PNG or JPEG files"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument("--show", metavar="OUT.png", default=None,
                   help=_("write the 28×28 image(s) the model sees (several pictures: "
                          "OUT-1.png, …)"))
    p.add_argument("--allow-ir-downgrade", action="store_true",
                   help=_("load a model saved by a newer ONNX (one IR version newer) with its "
                          "IR version lowered in memory; a note says so"))
    p.add_argument("--verbose", action="store_true",
                   help=_("when the model cannot be loaded, also print ONNX Runtime's full "
                          "message"))


def _reader_flags(p: argparse.ArgumentParser) -> None:
    from desktop_dl.commands.data import add_reader_flags
    add_reader_flags(p)


def _model_source(p: argparse.ArgumentParser):
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--template", metavar="NAME", help=_("a template name (see `desktop-dl "
                                                            "templates`)"))
    group.add_argument("--spec", metavar="FILE.json", help=_("a model spec saved by the app"))
    return group


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a whole number", text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("{text} must be at least 1", text=text))
    return value


def _translate_argparse() -> None:
    """argparse words its usage and errors with gettext's module-level functions, looked up when
    it prints: point them at our catalog, which carries its messages (_argparse_messages)."""
    argparse._ = i18n.gettext
    argparse.ngettext = i18n.plural_gettext


def _argparse_messages() -> None:   # never called: marks argparse's messages for the catalogs
    # argparse fills these itself with %-formatting; the translation keeps every %(name)s / %s.
    argparse_N_("usage: ")
    argparse_N_("positional arguments")
    argparse_N_("options")
    argparse_N_("show this help message and exit")
    argparse_N_("argument %(argument_name)s: %(message)s")
    argparse_N_("%(prog)s: error: %(message)s\n")
    argparse_N_("the following arguments are required: %s")
    argparse_N_("one of the arguments %s is required")
    argparse_N_("not allowed with argument %s")
    argparse_N_("unrecognized arguments: %s")
    argparse_N_("expected one argument")
    argparse_N_("expected at most one argument")
    argparse_N_("expected at least one argument")
    argparse_ngettext("expected %s argument", "expected %s arguments", 0)
    argparse_N_("ambiguous option: %(option)s could match %(matches)s")
    argparse_N_("invalid %(type)s value: %(value)r")
    argparse_N_("invalid choice: %(value)r (choose from %(choices)s)")
    argparse_N_("ignored explicit argument %r")
    argparse_N_("can't open '%(filename)s': %(error)s")


def argparse_N_(message: str) -> str:
    return message


def argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_language(choose_language())     # once, before any message is made; the app follows it
    _translate_argparse()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(argv)              # a command that must run in a child process repeats it
    if args.command is None:
        from desktop_dl.ui.app.app import main as gui_main
        return gui_main()
    from desktop_dl.core.errors import UserError
    module = importlib.import_module(f"desktop_dl.commands.{args.command}")
    try:
        return module.run(args)
    except UserError as exc:
        _say(args.command, _("error: {message}", message=exc))
        return 2
    except KeyboardInterrupt:
        _say(args.command, _("interrupted"))
        return 130
    except BrokenPipeError:
        # The reader went away (`desktop-dl templates | head -1`): nothing to say, as `cat` does.
        # Python's own advice: point stdout at devnull so the flush at exit does not fail again.
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141        # 128 + SIGPIPE, what a shell reports for a program its reader closed
    except (MemoryError, RecursionError) as exc:
        # Both come from an input too large or too deeply nested for the limits to have caught.
        _say(args.command, _("error: the input needs more memory than is free")
             if isinstance(exc, MemoryError) else _("error: the input nests too deeply to be "
                                                    "read"))
        return 2
    except Exception as exc:  # a bug, not the user's fault: one line here, the details in the log
        where = _log_traceback(args.command)
        _say(args.command, _("internal error: {name__}: {one_line} (details in {where}; please "
                             "report it, see docs/SECURITY.md)",
                             name__=type(exc).__name__, one_line=_one_line(str(exc)), where=where))
        return 1


def _log_traceback(command: str) -> str:
    """Write the current exception's traceback to the app's log file (never to the terminal)."""
    import logging

    from desktop_dl.app_logging import setup_logging
    try:
        path = setup_logging()
        for handler in logging.getLogger().handlers:
            if getattr(handler, "_desktop_dl", False):
                handler.handle(logging.getLogger("desktop_dl.cli").makeRecord(
                    "desktop_dl.cli", logging.ERROR, __file__, 0, "desktop-dl %s failed",
                    (command,), sys.exc_info()))
                handler.flush()
        return str(path)
    except Exception:   # a broken log folder must not turn one line into a traceback
        return _("the log")


def _one_line(text: str) -> str:
    """First line of `text`, without control characters (no terminal escapes from a file)."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return "".join(ch if ch.isprintable() else "?" for ch in first)[:300]


def _say(command: str, text: str) -> None:
    """One line on stderr: a message from a file's content can hold neither a line break nor an
    escape sequence that would fake output or clear the terminal."""
    clean = " ".join(text.split())
    if len(clean) > MAX_MESSAGE_CHARS:        # a message quoting a 10 MB cell is not one line
        clean = clean[:MAX_MESSAGE_CHARS - 1] + "…"
    print(f"desktop-dl {command}: " + "".join(ch if ch.isprintable() else "?" for ch in clean),
          file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
