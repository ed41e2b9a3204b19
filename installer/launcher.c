/*
 * Ferry's launcher: the Ferry.exe and ferry-cli.exe at the top of an installation, which start
 * the same program of the version that runs now.
 *
 *     <install>\Ferry.exe, ferry-cli.exe    this launcher (windowed, console)
 *     <install>\current                     "1.4.0": the version that starts
 *     <install>\previous                    "1.3.0": the one a failed update went back to
 *     <install>\versions\1.4.0\Ferry.exe    the real program (PyInstaller's one-folder build)
 *
 * Why a launcher: an update switches versions by rewriting the one small `current` file
 * (app/updates/layout.py), while the Start-menu entry, the Run value that starts Ferry at
 * login and an administrator's scripts keep naming one path that never changes.
 *
 * Both wait for the program and give back its exit code, its standard streams shared, so
 * that a script sees the program itself: `ferry-cli status`, and the windowed Ferry.exe whose
 * output a script redirects (`Ferry.exe service stop > out.txt`, which the installer and IT
 * partners' scripts wait on). The windowed one (built with -DFERRY_WINDOWED) opens no
 * console; the console one leaves Ctrl+C to the program, which shares its console, and waits
 * for it to end.
 *
 * When `current` is missing, unreadable or names a version that is not there, `previous` is
 * tried; when neither starts, the launcher says so in plain words (a message box for the
 * windowed one, standard error for the console one) and exits with 9009, cmd's own code for
 * "not found". Built with MinGW by scripts/build (and by the installer's tests): plain Win32,
 * no C runtime beyond what MinGW links.
 */
#define WIN32_LEAN_AND_MEAN
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#include <windows.h>
#include <wchar.h>

#ifdef FERRY_WINDOWED
#define PROGRAM L"Ferry.exe"
#else
#define PROGRAM L"ferry-cli.exe"
#endif

#define NOT_FOUND 9009
#define VERSION_MAX 64

/* The folder this launcher is in, with its trailing backslash; 0 when too long. */
static int own_folder(wchar_t *folder, DWORD size)
{
    DWORD length = GetModuleFileNameW(NULL, folder, size);
    if (length == 0 || length >= size)
        return 0;
    wchar_t *slash = wcsrchr(folder, L'\\');
    if (!slash)
        return 0;
    slash[1] = 0;
    return 1;
}

/* A version as app/updates/layout.py accepts one: digits, dots and a/b/rc; it names a folder,
 * so nothing that could climb out of versions\ passes. */
static int valid_version(const wchar_t *text)
{
    if (!text[0] || text[0] < L'0' || text[0] > L'9')
        return 0;
    for (const wchar_t *c = text; *c; c++) {
        if (!((*c >= L'0' && *c <= L'9') || *c == L'.' || *c == L'a' || *c == L'b' || *c == L'r'
              || *c == L'c'))
            return 0;
    }
    return 1;
}

/* The version named in <folder><name> ("current" or "previous"), its line end trimmed. */
static int read_version(const wchar_t *folder, const wchar_t *name, wchar_t *version)
{
    wchar_t path[MAX_PATH * 2];
    if (_snwprintf(path, MAX_PATH * 2, L"%ls%ls", folder, name) < 0)
        return 0;
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return 0;
    char bytes[VERSION_MAX];
    DWORD read = 0;
    BOOL ok = ReadFile(file, bytes, VERSION_MAX - 1, &read, NULL);
    CloseHandle(file);
    if (!ok)
        return 0;
    DWORD length = 0;
    while (length < read && bytes[length] != '\r' && bytes[length] != '\n' && bytes[length] != ' ')
        length++;
    for (DWORD i = 0; i < length; i++)
        version[i] = (wchar_t)(unsigned char)bytes[i];
    version[length] = 0;
    return valid_version(version);
}

/* <folder>versions\<version>\PROGRAM, when that file exists. */
static int program_of(const wchar_t *folder, const wchar_t *version, wchar_t *program)
{
    if (_snwprintf(program, MAX_PATH * 2, L"%lsversions\\%ls\\%ls", folder, version, PROGRAM) < 0)
        return 0;
    DWORD attributes = GetFileAttributesW(program);
    return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

/* This process's arguments as they were typed: the command line after its first word. */
static const wchar_t *arguments(void)
{
    const wchar_t *line = GetCommandLineW();
    if (*line == L'"') {
        line++;
        while (*line && *line != L'"')
            line++;
        if (*line)
            line++;
    } else {
        while (*line && *line != L' ' && *line != L'\t')
            line++;
    }
    while (*line == L' ' || *line == L'\t')
        line++;
    return line;
}

static void say(const wchar_t *message)
{
#ifdef FERRY_WINDOWED
    MessageBoxW(NULL, message, L"Ferry", MB_OK | MB_ICONERROR);
#else
    HANDLE error = GetStdHandle(STD_ERROR_HANDLE);
    DWORD written;
    if (error != NULL && error != INVALID_HANDLE_VALUE) {
        if (!WriteConsoleW(error, message, (DWORD)wcslen(message), &written, NULL)) {
            char bytes[1024];
            int length = WideCharToMultiByte(CP_UTF8, 0, message, -1, bytes, sizeof bytes, NULL, NULL);
            if (length > 1)
                WriteFile(error, bytes, (DWORD)(length - 1), &written, NULL);
        }
        WriteFile(error, "\r\n", 2, &written, NULL);
    }
#endif
}

int wmain(void)
{
    wchar_t folder[MAX_PATH * 2], version[VERSION_MAX], program[MAX_PATH * 2];
    if (!own_folder(folder, MAX_PATH * 2)) {
        say(L"Ferry cannot tell where it is installed (the path is too long).");
        return NOT_FOUND;
    }
    if (!(read_version(folder, L"current", version) && program_of(folder, version, program))
        && !(read_version(folder, L"previous", version) && program_of(folder, version, program))) {
        wchar_t message[MAX_PATH * 3];
        _snwprintf(message, MAX_PATH * 3,
                   L"Ferry's installation in %ls is incomplete: no version of the program is "
                   L"there to start. Install Ferry again; its settings and what it delivered "
                   L"are kept.",
                   folder);
        message[MAX_PATH * 3 - 1] = 0;
        say(message);
        return NOT_FOUND;
    }
    const wchar_t *rest = arguments();
    size_t size = wcslen(program) + wcslen(rest) + 4;
    wchar_t *line = HeapAlloc(GetProcessHeap(), 0, size * sizeof(wchar_t));
    if (!line)
        return NOT_FOUND;
    _snwprintf(line, size, L"\"%ls\"%ls%ls", program, *rest ? L" " : L"", rest);
    line[size - 1] = 0;

    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    ZeroMemory(&startup, sizeof startup);
    startup.cb = sizeof startup;
    GetStartupInfoW(&startup); /* the window's show state */
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE),
           err = GetStdHandle(STD_ERROR_HANDLE);
    if (in || out || err) { /* a console's, or what a script redirected them to */
        startup.dwFlags |= STARTF_USESTDHANDLES;
        startup.hStdInput = in;
        startup.hStdOutput = out;
        startup.hStdError = err;
    }
    if (!CreateProcessW(program, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &process)) {
        wchar_t message[MAX_PATH * 3];
        _snwprintf(message, MAX_PATH * 3, L"Ferry could not start %ls (Windows error %lu).",
                   program, GetLastError());
        message[MAX_PATH * 3 - 1] = 0;
        say(message);
        return NOT_FOUND;
    }
    CloseHandle(process.hThread);
#ifndef FERRY_WINDOWED
    SetConsoleCtrlHandler(NULL, TRUE); /* Ctrl+C is the program's to answer; wait for it */
#endif
    WaitForSingleObject(process.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(process.hProcess, &code);
    CloseHandle(process.hProcess);
    return (int)code;
}
