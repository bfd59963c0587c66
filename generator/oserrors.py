"""Operating-system errors in Chinese.

Python's ``strerror`` is English ("Permission denied", "File exists"); the
finance officer reads Chinese. ``reason(exc)`` gives the Chinese reason of an
``OSError`` from its errno, and ``describe(exc, path)`` a whole sentence.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许",
    errno.ENOENT: "文件或目录不存在",
    errno.ENOTDIR: "路径中的某一级不是目录，而是文件",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.EEXIST: "已存在同名的文件或目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "符号链接层数太多（可能是循环链接）",
    errno.EMFILE: "打开的文件太多",
    errno.ENFILE: "系统打开的文件太多",
    errno.EIO: "读写设备出错",
    errno.EBUSY: "文件或设备正忙",
    errno.ETXTBSY: "文件正在被使用",
    errno.EXDEV: "不能跨文件系统移动文件",
    errno.EINVAL: "参数无效",
    errno.EFBIG: "文件太大",
    errno.ENOTEMPTY: "目录不是空的",
    errno.EPIPE: "输出管道已关闭",
    errno.ENOMEM: "内存不足",
}


def reason(exc: OSError) -> str:
    """The Chinese reason of ``exc`` (its errno when we know it, else a general phrase)."""
    said = _REASONS.get(exc.errno) if exc.errno is not None else None
    if said:
        return said
    if exc.errno is not None:
        return f"系统错误（错误号 {exc.errno}）"
    return "系统错误"


def describe(exc: OSError, action: str, path: object | None = None) -> str:
    """``无法读取 data/x.yaml：没有权限。``"""
    where = path if path is not None else exc.filename
    return f"无法{action}{' ' + str(where) if where not in (None, '') else ''}：{reason(exc)}。"
