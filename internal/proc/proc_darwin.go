//go:build darwin

package proc

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// psEvery: o intervalo mínimo entre duas execuções do ps para o próprio
// processo.
const psEvery = 250 * time.Millisecond

// self guarda a memória residente do próprio processo, lida pelo ps em
// segundo plano (ps.go). Nada roda até a primeira chamada de Self.
var self = newSampleCache(psEvery, func() (int, int64) {
	threads, rss, _ := psSample(os.Getpid())
	return threads, rss
})

// Self no macOS: CPU, pico de memória e trocas de contexto por getrusage, e
// as threads pelo runtime do Go (GoThreads), na hora; a memória atual vem do
// cache do ps, sem esperar por ele: rodar o ps na chamada atrasaria o accept
// que se quer medir. Com chamadas contínuas, a memória é de um ps que
// começou há no máximo ~250 ms mais a duração de um ps (dezenas de ms);
// depois de um tempo sem chamadas, a primeira devolve o valor antigo e
// dispara a releitura. Antes da primeira leitura terminar, "n/d".
func Self() Figures {
	f := selfRusage()
	_, f.RSS = self.get()
	f.Threads = GoThreads()
	return f
}

// Threads conta as threads do SO do próprio processo: as do runtime do Go
// (GoThreads), na hora.
func Threads() int { return GoThreads() }

// Of mede outro processo rodando o ps agora (dezenas de ms): threads e
// memória residente. CPU, pico de memória e trocas de contexto de outro
// processo ficam "n/d" no macOS.
func Of(pid int) (Figures, error) {
	f := unknown()
	threads, rss, err := psSample(pid)
	if err != nil {
		return f, err
	}
	f.Threads, f.RSS = threads, rss
	return f, nil
}

// psSample roda `ps -M -p PID` (threads) e `ps -o rss= -p PID` (memória).
func psSample(pid int) (threads int, rss int64, err error) {
	p := strconv.Itoa(pid)
	out, err := exec.Command("/bin/ps", "-M", "-p", p).Output()
	if threads = parsePsThreads(out); threads < 0 {
		return -1, -1, errors.Join(fmt.Errorf("ps -M -p %d: processo não encontrado ou saída inesperada", pid), err)
	}
	out, _ = exec.Command("/bin/ps", "-o", "rss=", "-p", p).Output()
	return threads, parsePsRSS(out), nil
}
