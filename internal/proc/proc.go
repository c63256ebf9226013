// Package proc mede um processo como o laboratório pede para observar:
// threads do sistema operacional, memória residente (atual e pico), tempo de
// CPU (usuário e sistema) e trocas de contexto (voluntárias: a thread
// bloqueou esperando algo; involuntárias: o escalonador a tirou da CPU).
//
// Cada sistema diz isso de um jeito (um arquivo por sistema):
//
//	Linux    /proc (threads, memória, CPU, trocas, wchan) e getrusage   proc_linux.go
//	macOS    getrusage e o ps(1), em segundo plano (threads, memória)    proc_darwin.go, ps.go
//	FreeBSD  sysctl kern.proc.pid (struct kinfo_proc) e getrusage        proc_freebsd.go, kinfo.go
//	NetBSD   sysctl kern.proc2 (struct kinfo_proc2) e getrusage          proc_netbsd.go, kinfo.go
//	OpenBSD, DragonFly: só getrusage (CPU, pico, trocas)                 proc_getrusage.go
//	Windows  a foto das threads (Toolhelp32), K32GetProcessMemoryInfo e
//	         GetProcessTimes (threads, memória, CPU; sem trocas)         proc_windows.go
//
// Para o próprio processo, CPU, pico de memória e trocas de contexto vêm de
// getrusage(RUSAGE_SELF), que soma todas as threads, inclusive as que já
// terminaram (no Windows, GetProcessTimes e K32GetProcessMemoryInfo). Onde lê-los sai caro (o ps do macOS), threads e memória
// atual vêm de um cache relido em segundo plano: Self e Threads nunca
// esperam. O que o sistema não informa aparece como "n/d". Onde cada
// thread dorme (WaitChannels) só o Linux diz.
//
// Não importa "net" (o server_async usa este pacote).
package proc

import (
	"fmt"
	"runtime/metrics"
	"time"
)

// Figures são os números de um processo num instante. Um campo -1 quer
// dizer "o sistema não informa" e é impresso como "n/d".
type Figures struct {
	Threads     int           // threads do SO vivas agora
	RSS         int64         // memória residente agora, em bytes
	PeakRSS     int64         // pico de memória residente, em bytes
	User        time.Duration // CPU gasta em modo usuário
	System      time.Duration // CPU gasta no kernel (syscalls, rede)
	Voluntary   int64         // trocas de contexto voluntárias
	Involuntary int64         // trocas de contexto involuntárias
}

// unknown devolve Figures com tudo "n/d".
func unknown() Figures {
	return Figures{Threads: -1, RSS: -1, PeakRSS: -1, User: -1, System: -1, Voluntary: -1, Involuntary: -1}
}

// CPU é User + System, ou -1 se o sistema não informa.
func (f Figures) CPU() time.Duration {
	if f.User < 0 || f.System < 0 {
		return -1
	}
	return f.User + f.System
}

// Switches é Voluntary + Involuntary, ou -1 se o sistema não informa.
func (f Figures) Switches() int64 {
	if f.Voluntary < 0 || f.Involuntary < 0 {
		return -1
	}
	return f.Voluntary + f.Involuntary
}

// Compact é a forma curta para os logs dos servidores, por exemplo
// "threads SO: 12 | RSS 8.1MiB (pico 9.0MiB) | CPU 0.12s | trocas 340v/12i".
func (f Figures) Compact() string {
	switches := "trocas n/d"
	if f.Voluntary >= 0 && f.Involuntary >= 0 {
		switches = fmt.Sprintf("trocas %dv/%di", f.Voluntary, f.Involuntary)
	}
	return fmt.Sprintf("threads SO: %s | RSS %s (pico %s) | CPU %s | %s",
		count(int64(f.Threads)), Bytes(f.RSS), Bytes(f.PeakRSS), Seconds(f.CPU()), switches)
}

// Keys é a forma chave=valor para as linhas de resumo que programas leem:
// "rss_pico=9.0MiB cpu_usuario=0.10s cpu_sistema=0.02s trocas_vol=340 trocas_invol=12".
func (f Figures) Keys() string {
	return fmt.Sprintf("rss_pico=%s cpu_usuario=%s cpu_sistema=%s trocas_vol=%s trocas_invol=%s",
		Bytes(f.PeakRSS), Seconds(f.User), Seconds(f.System), count(f.Voluntary), count(f.Involuntary))
}

// GoThreads é o número de threads do SO que o runtime do Go tem agora
// (runtime/metrics, "/sched/threads/total:threads"). Num programa Go que não
// chama código C que crie threads, como os deste laboratório, são todas as
// threads do processo. Custa ~0,2 µs e não faz chamada de sistema, em
// qualquer sistema, mas trava sched.lock, a trava do escalonador que
// runtime.mexit segura enquanto percorre a lista de todas as threads (allm)
// atrás da que termina: com milhares de threads terminando juntas, quem lê
// este número disputa a trava com elas. É o que os servidores leem a cada
// conexão para guardar o pico sem acordar ninguém periodicamente (uma
// amostragem a cada 50 ms somava ~250 trocas de contexto por segundo ao
// servidor que ela media). Onde o sistema não informa as threads de um
// processo (Windows, OpenBSD, DragonFly), ou onde lê-las custaria rodar o
// ps(1) (macOS), Threads usa este número. -1 se o runtime não o tem.
func GoThreads() int {
	s := [1]metrics.Sample{{Name: "/sched/threads/total:threads"}}
	metrics.Read(s[:])
	if s[0].Value.Kind() != metrics.KindUint64 {
		return -1
	}
	return int(s[0].Value.Uint64())
}

// ThreadsString é só o número de threads do SO deste processo, ou "n/d".
func ThreadsString() string { return count(int64(Threads())) }

func count(n int64) string {
	if n < 0 {
		return "n/d"
	}
	return fmt.Sprint(n)
}

// Bytes formata um tamanho em KiB/MiB/GiB ("n/d" se negativo).
func Bytes(n int64) string {
	switch {
	case n < 0:
		return "n/d"
	case n < 1<<20:
		return fmt.Sprintf("%.1fKiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1fMiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2fGiB", float64(n)/(1<<30))
}

// Seconds formata uma duração em segundos com duas casas ("n/d" se negativa).
func Seconds(d time.Duration) string {
	if d < 0 {
		return "n/d"
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}
