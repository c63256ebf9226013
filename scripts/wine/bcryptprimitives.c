/*
 * bcryptprimitives.dll mínima para o Wine 8, que não a tem.
 *
 * O runtime do Go 1.26 no Windows chama ProcessPrng (de bcryptprimitives.dll)
 * ao iniciar, para tirar bytes aleatórios do sistema; sem essa DLL todo
 * programa Go aborta com "bcryptprimitives.dll not found". Aqui ProcessPrng
 * só repassa o pedido a SystemFunction036 (RtlGenRandom) do advapi32, que o
 * Wine tem e que lê o gerador aleatório do Linux.
 *
 * Compilada por scripts/wine/setup.sh com o mingw do Debian:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *       bcryptprimitives.c bcryptprimitives.def -ladvapi32
 * e copiada para drive_c/windows/system32 do prefixo do Wine.
 */
#include <windows.h>

/* RtlGenRandom: o nome exportado pelo advapi32 é SystemFunction036. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* ProcessPrng enche data com len bytes aleatórios. O Windows documenta que
 * ela sempre devolve TRUE; RtlGenRandom recebe um ULONG (32 bits), então
 * pedidos maiores vão em pedaços. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
