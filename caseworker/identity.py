"""Who is at the keyboard, asked of the operating system (SPEC rule 15).

On a laptop the officer is the account the process runs under: on POSIX the user of the
process's real uid (``pwd``), on Windows the account of the process token. Environment
variables (``LOGNAME``, ``USER``, ``USERNAME``, ``CASEWORKER_*``) are never read: anyone can
set them, so they cannot say who someone is. ``getpass.getuser()`` reads them first, which is
why it is not used.

In team mode (PostgreSQL) the officer is the server's ``session_user`` instead; see
:func:`caseworker.store.services.officers.acting_login`.
"""

from __future__ import annotations

import os
import sys


class UnknownAccount(RuntimeError):
    """The operating system could not name the account this process runs under."""


def os_account() -> str:
    """The login of the operating-system account running this process.

    Returns:
        POSIX: the name of the real uid's account. Windows: the token's account name
        (``DOMAIN\\name`` is reduced to ``name``, lower case as Windows logins are case-blind).

    Raises:
        UnknownAccount: the system has no name for the account (e.g. a uid with no passwd entry).
    """
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return _windows_account()
    import pwd

    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        raise UnknownAccount(f"the account with uid {uid} has no name on this computer") from None


def _windows_account() -> str:  # pragma: no cover - Windows only
    """The account of this process's access token: OpenProcessToken + GetTokenInformation(TokenUser) + LookupAccountSidW."""
    if sys.platform != "win32":  # ctypes.WinDLL exists only there (type checkers skip the rest elsewhere)
        raise UnknownAccount("not Windows: there is no access token to ask")
    import ctypes
    from ctypes import wintypes

    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    TOKEN_QUERY = 0x0008
    TOKEN_USER = 1  # TOKEN_INFORMATION_CLASS.TokenUser

    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    advapi32.OpenProcessToken.argtypes = [wintypes.HANDLE, wintypes.DWORD, ctypes.POINTER(wintypes.HANDLE)]
    advapi32.GetTokenInformation.argtypes = [
        wintypes.HANDLE,
        ctypes.c_int,
        ctypes.c_void_p,
        wintypes.DWORD,
        ctypes.POINTER(wintypes.DWORD),
    ]
    advapi32.LookupAccountSidW.argtypes = [
        wintypes.LPCWSTR,
        ctypes.c_void_p,
        wintypes.LPWSTR,
        ctypes.POINTER(wintypes.DWORD),
        wintypes.LPWSTR,
        ctypes.POINTER(wintypes.DWORD),
        ctypes.POINTER(ctypes.c_int),
    ]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]

    token = wintypes.HANDLE()
    if not advapi32.OpenProcessToken(kernel32.GetCurrentProcess(), TOKEN_QUERY, ctypes.byref(token)):
        raise UnknownAccount(f"Windows would not open this process's token (error {ctypes.get_last_error()})")
    try:
        size = wintypes.DWORD(0)
        advapi32.GetTokenInformation(token, TOKEN_USER, None, 0, ctypes.byref(size))
        buffer = ctypes.create_string_buffer(size.value)
        if not advapi32.GetTokenInformation(token, TOKEN_USER, buffer, size, ctypes.byref(size)):
            raise UnknownAccount(f"Windows would not say whose token this is (error {ctypes.get_last_error()})")
        sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]  # TOKEN_USER.User.Sid
        name_len, domain_len = wintypes.DWORD(256), wintypes.DWORD(256)
        name, domain = ctypes.create_unicode_buffer(256), ctypes.create_unicode_buffer(256)
        use = ctypes.c_int()
        if not advapi32.LookupAccountSidW(
            None, sid, name, ctypes.byref(name_len), domain, ctypes.byref(domain_len), ctypes.byref(use)
        ):
            raise UnknownAccount(f"Windows could not name this process's account (error {ctypes.get_last_error()})")
        return name.value.lower()
    finally:
        kernel32.CloseHandle(token)
