//go:build windows

package proc

import (
	"errors"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// No Windows os números de um processo vêm da API do sistema, por um handle
// do processo (OpenProcess):
//
//	threads  CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD): uma foto de todas
//	         as threads da máquina, das quais contamos as do processo
//	         (th32OwnerProcessID); custa uma volta por thread da máquina,
//	         então só serve para quem amostra de fora (o roteiro)
//	memória  K32GetProcessMemoryInfo: WorkingSetSize, as páginas do processo
//	         na memória agora (o "RSS" do Windows), e PeakWorkingSetSize, o pico
//	CPU      GetProcessTimes: tempo em modo usuário e em modo kernel, somando
//	         todas as threads, inclusive as que já terminaram
//
// Trocas de contexto o Windows não informa por processo: ficam "n/d".

var procGetProcessMemoryInfo = windows.NewLazySystemDLL("kernel32.dll").NewProc("K32GetProcessMemoryInfo")

// processMemoryCounters é a struct PROCESS_MEMORY_COUNTERS (psapi.h).
type processMemoryCounters struct {
	cb                         uint32
	pageFaultCount             uint32
	peakWorkingSetSize         uintptr
	workingSetSize             uintptr
	quotaPeakPagedPoolUsage    uintptr
	quotaPagedPoolUsage        uintptr
	quotaPeakNonPagedPoolUsage uintptr
	quotaNonPagedPoolUsage     uintptr
	pagefileUsage              uintptr
	peakPagefileUsage          uintptr
}

// Self mede o próprio processo: memória e CPU pela API (custo constante) e
// as threads pelo runtime do Go (GoThreads), sem a foto de todas as threads
// da máquina.
func Self() Figures {
	f := figures(windows.CurrentProcess())
	f.Threads = GoThreads()
	return f
}

// Threads conta as threads do SO do próprio processo pelo runtime do Go.
func Threads() int { return GoThreads() }

// Of mede outro processo: threads, memória atual e pico, CPU.
func Of(pid int) (Figures, error) {
	const access = windows.PROCESS_QUERY_LIMITED_INFORMATION | windows.PROCESS_VM_READ | windows.SYNCHRONIZE
	h, err := windows.OpenProcess(access, false, uint32(pid))
	if err != nil {
		return unknown(), fmt.Errorf("OpenProcess(%d): %w", pid, err)
	}
	defer windows.CloseHandle(h)
	// Um processo que já terminou ainda pode ser aberto enquanto alguém
	// guarda um handle dele (o pai, até o Wait): não há mais o que medir.
	if ev, err := windows.WaitForSingleObject(h, 0); err == nil && ev == windows.WAIT_OBJECT_0 {
		return unknown(), fmt.Errorf("o processo %d já terminou", pid)
	}
	f := figures(h)
	f.Threads, err = countThreads(uint32(pid))
	if err != nil {
		return f, err
	}
	return f, nil
}

// figures lê memória e CPU do processo h; o que falhar fica "n/d".
func figures(h windows.Handle) Figures {
	f := unknown()
	var m processMemoryCounters
	m.cb = uint32(unsafe.Sizeof(m))
	if ok, _, _ := procGetProcessMemoryInfo.Call(uintptr(h), uintptr(unsafe.Pointer(&m)), uintptr(m.cb)); ok != 0 {
		f.RSS, f.PeakRSS = int64(m.workingSetSize), int64(m.peakWorkingSetSize)
	}
	var created, exited, kernel, user windows.Filetime
	if windows.GetProcessTimes(h, &created, &exited, &kernel, &user) == nil {
		f.User, f.System = duration(user), duration(kernel)
	}
	return f
}

// duration converte um FILETIME que conta um intervalo (unidades de 100 ns).
func duration(ft windows.Filetime) time.Duration {
	return time.Duration(int64(ft.HighDateTime)<<32|int64(ft.LowDateTime)) * 100
}

// countThreads conta as threads do processo pid numa foto das threads da
// máquina.
func countThreads(pid uint32) (int, error) {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return -1, fmt.Errorf("CreateToolhelp32Snapshot: %w", err)
	}
	defer windows.CloseHandle(snap)
	var e windows.ThreadEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	n := 0
	for err = windows.Thread32First(snap, &e); err == nil; err = windows.Thread32Next(snap, &e) {
		if e.OwnerProcessID == pid {
			n++
		}
	}
	if !errors.Is(err, windows.ERROR_NO_MORE_FILES) {
		return -1, fmt.Errorf("Thread32Next: %w", err)
	}
	if n == 0 {
		return -1, fmt.Errorf("nenhuma thread do processo %d na foto", pid)
	}
	return n, nil
}
