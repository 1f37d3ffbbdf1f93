/* Holds a file open the way a PDF reader does (others may read it, not delete or
 * replace it) until standard input closes or a line arrives. Test-only, for Wine. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 2)
        return 2;
    HANDLE file = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return 1;
    printf("holding\n");
    fflush(stdout);
    char line[16];
    fgets(line, sizeof line, stdin);
    CloseHandle(file);
    return 0;
}
