"""What every command line of budgetpub shares: Chinese argparse, and a run that always ends in a report.

- ``ChineseArgumentParser``: usage, help and every argparse error in Chinese
  (``argument --year: invalid int value: 'abc'`` is not for a finance officer);
- ``dept_code_of`` (a --dept value: digits only, never a path) and the ``year`` argument type;
- ``run(command)``: runs a command and maps how it ends to one line and an exit code:

  ====  ==========================================================================
  0     done
  2     the user's mistake: sources, arguments, output path (the report says what)
  129   hung up (SIGHUP: the terminal or the ssh session was closed)
  130   interrupted (Ctrl-C, SIGINT)
  141   the reader of the output went away (``generate --check | head -1``): quiet
  143   terminated (SIGTERM)
  ====  ==========================================================================

  On an interrupt the temporary file of a write in progress is removed (the
  signal becomes an exception, so ``finally`` blocks run: LibreOffice is stopped
  and its folder removed, see formats/libreoffice.py) and an earlier output
  file is left as it was. Every message is one line (errors.visible: a newline
  in a revision's name or a key does not split it).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from typing import Callable, NoReturn

from generator.errors import BudgetpubError, InvalidSources, os_reason, visible

EXIT_USER = 2
EXIT_SIGHUP = 129
EXIT_SIGINT = 130
EXIT_SIGPIPE = 141
EXIT_SIGTERM = 143


# ---------------------------------------------------------------- argparse in Chinese

_TYPE_WORDS = {"int": "整数", "float": "数字"}

# (argparse's English message as a pattern, the Chinese); checked in order.
_MESSAGES: list[tuple[str, Callable[[re.Match], str]]] = [
    (r"the following arguments are required: (.*)", lambda m: f"缺少必需的参数：{_names(m[1])}"),
    (r"one of the arguments (.*) is required", lambda m: f"以下参数必须给出一个：{_names(m[1])}"),
    (r"unrecognized arguments: (.*)", lambda m: f"无法识别的参数：{m[1]}"),
    (r"argument (.*?): invalid (\w+) value: (.*)",
     lambda m: f"参数 {m[1]} 的值 {_quote(m[3])} 无效：应为{_TYPE_WORDS.get(m[2], m[2])}"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)",
     lambda m: f"参数 {m[1]} 的值 {_quote(m[2])} 无效：可选的值为 {m[3]}"),
    (r"invalid choice: (.*?) \(choose from (.*)\)",
     lambda m: f"值 {_quote(m[1])} 无效：可选的值为 {m[2]}"),
    (r"argument (.*?): expected one argument", lambda m: f"参数 {m[1]} 后面应跟一个值"),
    (r"argument (.*?): expected at least one argument", lambda m: f"参数 {m[1]} 后面至少应跟一个值"),
    (r"argument (.*?): expected (.*) arguments?", lambda m: f"参数 {m[1]} 后面应跟 {m[2]} 个值"),
    (r"argument (.*?): not allowed with argument (.*)", lambda m: f"参数 {m[1]} 不能与 {m[2]} 同时使用"),
    (r"argument (.*?): ignored explicit argument (.*)", lambda m: f"参数 {m[1]} 不接受值 {_quote(m[2])}"),
    (r"ambiguous option: (.*?) could match (.*)", lambda m: f"参数 {m[1]} 有歧义，可能是：{m[2]}"),
    (r"argument (.*?): (.*)", lambda m: f"参数 {m[1]}：{m[2]}"),  # an ArgumentTypeError: already Chinese
]


def _names(text: str) -> str:
    return "、".join(part.strip() for part in text.split(","))


def _quote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return f"“{text}”"


def translate(message: str) -> str:
    """argparse's English error message in Chinese (unchanged if it is not one we know)."""
    for pattern, said in _MESSAGES:
        found = re.fullmatch(pattern, message, re.S)
        if found:
            return said(found)
    return message


class _ChineseUsage:
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


def _chinese_formatter(cls: type) -> type:
    if issubclass(cls, _ChineseUsage):
        return cls
    return type(f"Chinese{cls.__name__}", (_ChineseUsage, cls), {})


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: usage, help, errors. Errors exit 2, as argparse does."""

    def __init__(self, *args, **kwargs):
        kwargs["formatter_class"] = _chinese_formatter(kwargs.get("formatter_class", argparse.HelpFormatter))
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本帮助并退出")

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", "命令")
        kwargs.setdefault("parser_class", type(self))
        return super().add_subparsers(**kwargs)

    def format_help(self) -> str:
        return re.sub(r"^(位置参数|选项|命令):$", r"\1：", super().format_help(), flags=re.M)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER, f"{self.prog}：错误：{translate(message)}。\n")


def dept_code_of(text: str) -> str:
    """``--dept``: a department code (ASCII digits), never a path or anything else."""
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise BudgetpubError(f"--dept 应为部门编码（数字），如 304，而不是 “{visible(text)}”。")
    return text


def year(text: str) -> int:
    """``--year``: a four-digit year (ASCII digits only: int() would also take ２０２３, ' 2023' and 2_023)."""
    if not re.fullmatch(r"[0-9]{4}", text) or not 1900 <= int(text) <= 2999:
        raise argparse.ArgumentTypeError(f"应为四位数的预算年度，如 2023，而不是 “{visible(text)}”")
    return int(text)


# ---------------------------------------------------------------- a run that always ends in a report

class Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so that ``finally`` and cleanup run (like
    KeyboardInterrupt)."""

    def __init__(self, signum: int = signal.SIGTERM):
        super().__init__(signum)
        self.signum = signum


_interrupted = False
HANDLED = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])


def _on_signal(signum, frame):
    # Later signals do nothing: the cleanup the first one starts must not be interrupted in turn.
    # (Not SIG_IGN: a signal already pending when the handler changes makes CPython raise
    # "Signal 15 ignored due to race condition" in the middle of that cleanup.)
    global _interrupted
    if _interrupted:
        return
    _interrupted = True
    if signum != signal.SIGINT:
        raise Terminated(signum)
    raise KeyboardInterrupt()


def message(exc: BudgetpubError) -> str:
    """The text of a user's error: one line (a name holding a newline is shown as \\n), unless it is
    a report or a result whose lines are lines of their own."""
    if isinstance(exc, InvalidSources) or getattr(exc, "multiline", False):
        return str(exc)
    return visible(str(exc))


def _say(text: str) -> None:
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed too: nothing more to do
        pass


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def run(command: Callable[[], int]) -> int:
    """Run ``command`` (which returns an exit code) so that every way it ends is one line and an exit code."""
    global _interrupted
    _interrupted = False
    installed = []
    for signum in HANDLED:
        try:
            installed.append((signum, signal.signal(signum, _on_signal)))
        except ValueError:  # not the main thread (e.g. called from a test runner's worker): leave as is
            pass
    try:
        code = command()
        sys.stdout.flush()  # a broken pipe shows here, not at exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_SIGPIPE
    except KeyboardInterrupt:
        _say("已中断（Ctrl-C）：未完成的输出已删除，此前生成的文件保持不变。")
        return EXIT_SIGINT
    except Terminated as exc:
        if exc.signum == getattr(signal, "SIGHUP", None):
            _say("已挂断（SIGHUP：终端或 ssh 连接已关闭）：未完成的输出已删除，此前生成的文件保持不变。")
            return EXIT_SIGHUP
        _say("已终止（SIGTERM）：未完成的输出已删除，此前生成的文件保持不变。")
        return EXIT_SIGTERM
    except BudgetpubError as exc:
        _say(f"错误：{message(exc)}")
        return exc.exit_code
    except OSError as exc:
        where = f" {visible(exc.filename)}" if exc.filename else ""
        _say(f"错误：操作系统报告{where}：{os_reason(exc)}。")
        return EXIT_USER
    except MemoryError:
        _say("错误：内存不足。")
        return EXIT_USER
    finally:
        for signum, previous in installed:
            signal.signal(signum, previous)
