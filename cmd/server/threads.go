package main

// O threading.Thread(...).start() do server.py, com o limite de threads que
// o porte acrescenta: uma thread do SO por conexão, mas nunca mais do que o
// sistema deixa criar.

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"roteiro2/internal/proc"
)

var (
	ativas  atomic.Int64  // threads de atendimento vivas
	vagas   chan struct{} // uma vaga por thread de atendimento (limitarThreads)
	teto    int           // o máximo de threads do runtime (proc.GoThreads) ao criar mais uma
	esperas atomic.Int64  // quantas vezes novaThread esperou uma vaga
	avisou  bool          // a linha [LIMITE] já saiu
)

// activeCount é o threading.active_count() do Python: as threads de
// atendimento vivas mais a principal.
func activeCount() int { return int(ativas.Load()) + 1 }

// margemRuntime são as threads que o próprio runtime do Go usa além das de
// atendimento: uma por P (GOMAXPROCS) rodando goroutines, outras tantas de
// reserva para quando uma delas entra numa chamada do sistema longa, o
// sysmon, a thread-modelo que LockOSThread cria, a que signal.Notify deixa
// bloqueada e algumas ociosas. O coletor de lixo não tem thread própria:
// seus trabalhadores são goroutines que rodam nessas mesmas threads.
func margemRuntime() int { return 2*runtime.GOMAXPROCS(0) + 8 }

// limitarThreads decide, na partida, quantas threads de atendimento cabem:
// -max-threads, mas não mais do que o sistema deixa criar (RLIMIT_NPROC, o
// pids.max do cgroup, o limite por processo do macOS e do FreeBSD) menos a
// margem do runtime. Quando a criação de uma thread falha, o runtime do Go
// aborta o processo inteiro; e ele também aborta ao passar de
// debug.SetMaxThreads (10.000 por padrão), que sobe para caber o limite.
func limitarThreads(maxThreads int) int {
	n := maxThreads
	if cabem := proc.ThreadBudget(); cabem >= 0 && cabem-margemRuntime() < n {
		n = max(1, cabem-margemRuntime())
		fmt.Printf("[LIMITE] o sistema deixa este processo criar mais %d threads (%s): "+
			"no máximo %d conexões ao mesmo tempo, em vez de %d (-max-threads).\n", cabem, proc.ThreadLimitName, n, maxThreads)
	}
	vagas = make(chan struct{}, n)
	teto = proc.GoThreads() + n + margemRuntime()
	debug.SetMaxThreads(teto + margemRuntime())
	return n
}

// novaThread é threading.Thread(target=f).start(): f roda numa thread do SO
// só dela (runtime.LockOSThread). Uma goroutine NÃO é uma thread do SO: o
// runtime do Go distribui milhares delas por poucas threads; LockOSThread dá
// a esta uma thread exclusiva, e como a goroutine termina presa (sem
// UnlockOSThread), o runtime encerra a thread junto: o número de threads
// cai como no Python. Como o start() do Python, só volta depois que a
// thread nova começou a rodar.
//
// Sem vaga (todas as threads de atendimento ocupadas), espera uma: o laço
// principal não volta ao accept(), e os clientes seguintes esperam na fila
// do kernel, como no MaxRequestWorkers do Apache, em vez de o servidor
// morrer sem threads. A vaga volta no fim de f, mas a thread só termina um
// instante depois (runtime.mexit): por isso novaThread também espera o
// número de threads do runtime ficar abaixo do teto.
func novaThread(f func()) {
	select {
	case vagas <- struct{}{}:
	default:
		esperas.Add(1)
		if !avisou {
			avisou = true
			fmt.Printf("[LIMITE] %d threads de atendimento ocupadas (-max-threads): paro de aceitar até uma terminar; os próximos clientes esperam na fila do kernel.\n", cap(vagas))
		}
		vagas <- struct{}{}
	}
	for i := 0; proc.GoThreads() >= teto && i < 1000; i++ {
		time.Sleep(time.Millisecond) // uma thread que já liberou a vaga ainda está saindo
	}
	ativas.Add(1)
	iniciou := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer func() {
			ativas.Add(-1)
			<-vagas
		}()
		close(iniciou)
		f()
	}()
	<-iniciou
}
