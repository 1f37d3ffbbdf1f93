/* A test-only stand-in for bcryptprimitives.dll, which Debian's Wine 8 lacks. Rust's
 * standard library imports ProcessPrng from it (Windows 10 and later have it). This
 * one answers through RtlGenRandom (advapi32's SystemFunction036). It is put beside
 * the dashi.exe under test, never into dist/. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
