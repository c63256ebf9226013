package proc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// O FreeBSD e o NetBSD dizem os números de um processo por sysctl: uma
// chamada devolve uma struct C inteira (kinfo_proc no FreeBSD, kinfo_proc2
// no NetBSD), os mesmos dados que o ps(1) deles mostra. O pacote syscall do
// Go e o golang.org/x/sys não trazem essas structs; aqui elas são lidas
// byte a byte, nos deslocamentos do layout documentado nos cabeçalhos.
// testdata/kinfo.c declara as structs em C e testdata/gen.sh as compila
// para cada arquitetura: os testes (kinfo_test.go) conferem estes
// deslocamentos contra os bytes que o compilador C produziu.
//
// Todas as arquiteturas em que o Go 1.26 roda no FreeBSD e no NetBSD (386,
// amd64, arm, arm64: go tool dist list) são little-endian. O
// freebsd/riscv64 está na árvore do Go, mas marcado como quebrado
// (cmd/dist, go.dev/issue/76475); ele também é little-endian e usa o
// layout de 64 bits abaixo.

// kinfoLayout diz onde ficam, numa struct kinfo_proc do FreeBSD
// (sys/sys/user.h), os campos que lemos. O layout muda com a arquitetura:
// ponteiros e long têm 4 ou 8 bytes, e no i386 time_t tem 32 bits.
type kinfoLayout struct {
	size       int // ki_structsize: o sizeof (KINFO_PROC_SIZE) que o kernel usou
	rssize     int // ki_rssize: memória residente, em páginas (segsz_t, um long)
	numthreads int // ki_numthreads: threads do processo (int)
	rusage     int // ki_rusage: struct rusage do processo inteiro
	long       int // bytes de um long (4 ou 8)
	timeval    int // bytes de uma struct timeval (tv_sec e tv_usec)
}

// freebsdLayouts: o primeiro campo, ki_structsize, diz qual deles o kernel
// mandou (um processo de 32 bits num kernel de 64 recebe o de 32).
var freebsdLayouts = []kinfoLayout{
	{size: 1088, rssize: 264, numthreads: 596, rusage: 608, long: 8, timeval: 16}, // amd64, arm64, riscv64
	{size: 816, rssize: 228, numthreads: 532, rusage: 544, long: 4, timeval: 16},  // arm: time_t de 64 bits
	{size: 768, rssize: 228, numthreads: 516, rusage: 528, long: 4, timeval: 8},   // i386: time_t de 32 bits
}

// decodeFreeBSD lê uma kinfo_proc (sysctl kern.proc.pid.PID). Sem
// KERN_PROC_INC_THREAD o kernel manda uma entrada só, com os números do
// processo inteiro: ki_rusage soma todas as threads, inclusive as que já
// terminaram; ki_rssize está em páginas de pageSize bytes.
func decodeFreeBSD(b []byte, pageSize int64) (Figures, error) {
	f := unknown()
	if len(b) < 4 {
		return f, fmt.Errorf("kinfo_proc de %d bytes: curta demais", len(b))
	}
	size := int(readInt(b, 0, 4))
	var l *kinfoLayout
	for i := range freebsdLayouts {
		if freebsdLayouts[i].size == size {
			l = &freebsdLayouts[i]
		}
	}
	if l == nil {
		return f, fmt.Errorf("kinfo_proc com ki_structsize=%d: layout desconhecido", size)
	}
	if len(b) < size {
		return f, fmt.Errorf("kinfo_proc de %d bytes, ki_structsize diz %d", len(b), size)
	}
	f.Threads = int(readInt(b, l.numthreads, 4))
	f.RSS = readInt(b, l.rssize, l.long) * pageSize

	// struct rusage: ru_utime, ru_stime (timeval), depois 14 longs:
	// ru_maxrss (KiB) é o 1º, ru_nvcsw o 13º, ru_nivcsw o 14º.
	tv := func(off int) time.Duration {
		sec := readInt(b, off, l.timeval/2) // time_t: 8 bytes, ou 4 no i386
		usec := readInt(b, off+l.timeval/2, l.long)
		return time.Duration(sec)*time.Second + time.Duration(usec)*time.Microsecond
	}
	longs := l.rusage + 2*l.timeval
	f.User = tv(l.rusage)
	f.System = tv(l.rusage + l.timeval)
	f.PeakRSS = readInt(b, longs, l.long) * 1024
	f.Voluntary = readInt(b, longs+12*l.long, l.long)
	f.Involuntary = readInt(b, longs+13*l.long, l.long)
	return f, nil
}

// A kinfo_proc2 do NetBSD (sys/sys/sysctl.h) tem o mesmo layout em todas
// as arquiteturas: só campos de tamanho fixo, os de 64 bits em
// deslocamentos múltiplos de 8, e campos novos só no fim. Pedimos ao kernel
// só até p_nlwps (netbsdKinfoSize bytes); ele copia esse tanto.
const (
	netbsdKinfoSize = 624 // até p_nlwps, inclusive
	nbRSSize        = 432 // p_vm_rssize: int32, em páginas
	nbUValid        = 448 // p_uvalid: int64, != 0 se os campos p_u* valem
	nbUTime         = 464 // p_uutime_sec, p_uutime_usec: uint32 cada
	nbSTime         = 472 // p_ustime_sec, p_ustime_usec
	nbMaxRSS        = 480 // p_uru_maxrss: uint64, em KiB
	nbNVCSW         = 576 // p_uru_nvcsw: uint64
	nbNIVCSW        = 584 // p_uru_nivcsw: uint64
	nbNLWPs         = 616 // p_nlwps: uint64, threads (LWPs) do processo
)

// decodeNetBSD lê uma kinfo_proc2 (sysctl kern.proc2, KERN_PROC_PID).
// Tempos e trocas de contexto somam todas as LWPs do processo.
func decodeNetBSD(b []byte, pageSize int64) (Figures, error) {
	f := unknown()
	if len(b) == 0 {
		return f, errors.New("processo não encontrado")
	}
	if len(b) < netbsdKinfoSize {
		return f, fmt.Errorf("kinfo_proc2 de %d bytes, esperava %d", len(b), netbsdKinfoSize)
	}
	f.Threads = int(readInt(b, nbNLWPs, 8))
	f.RSS = readInt(b, nbRSSize, 4) * pageSize
	if readInt(b, nbUValid, 8) != 0 { // 0 num zumbi
		tv := func(off int) time.Duration {
			return time.Duration(readUint32(b, off))*time.Second + time.Duration(readUint32(b, off+4))*time.Microsecond
		}
		f.User, f.System = tv(nbUTime), tv(nbSTime)
		f.PeakRSS = readInt(b, nbMaxRSS, 8) * 1024
		f.Voluntary = readInt(b, nbNVCSW, 8)
		f.Involuntary = readInt(b, nbNIVCSW, 8)
	}
	return f, nil
}

// readInt lê um inteiro com sinal de 4 ou 8 bytes em b[off:].
func readInt(b []byte, off, size int) int64 {
	if size == 4 {
		return int64(int32(readUint32(b, off)))
	}
	return int64(binary.LittleEndian.Uint64(b[off:]))
}

func readUint32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
