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

// self guarda threads e memória do próprio processo, lidas pelo ps em
// segundo plano (ps.go). Nada roda até a primeira chamada de Self ou
// Threads.
var self = newSampleCache(psEvery, func() (int, int64) {
	threads, rss, _ := psSample(os.Getpid())
	return threads, rss
})

// Self no macOS: CPU, pico de memória e trocas de contexto por getrusage,
// na hora; threads e memória atual do cache do ps, sem esperar por ele.
// Os servidores chamam Self a cada conexão e Threads a cada 50 ms: rodar o
// ps ali atrasaria o accept que se quer medir. Por isso os dois números
// podem estar atrasados: com chamadas contínuas, são de um ps que começou
// há no máximo ~250 ms mais a duração de um ps (dezenas de ms); depois de
// um tempo sem chamadas, a primeira devolve o valor antigo e dispara a
// releitura. Antes da primeira leitura terminar, "n/d".
func Self() Figures {
	f := selfRusage()
	f.Threads, f.RSS = self.get()
	return f
}

// Threads conta as threads do SO do próprio processo pelo cache do ps
// (veja Self: pode estar atrasado ~250 ms), ou -1.
func Threads() int {
	n, _ := self.get()
	return n
}

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
