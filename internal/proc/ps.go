package proc

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// O macOS não tem /proc, e o que diria as threads e a memória de um
// processo (proc_pidinfo, da libproc) o golang.org/x/sys não embrulha.
// Daria para chamá-lo sem cgo, do jeito que o x/sys chama a libSystem (uma
// diretiva //go:cgo_import_dynamic e um trampolim em assembly por função e
// arquitetura), mas este pacote não traz assembly próprio; a sysctl
// kern.proc.pid de lá não traz nem uma coisa nem outra. Resta perguntar ao
// ps(1), que as lê com privilégio:
//
//	ps -M -p PID       um cabeçalho e uma linha por thread do processo
//	ps -o rss= -p PID  memória residente em KiB, sem cabeçalho
//
// (Os flags são os do ps do macOS; no FreeBSD, -M quer dizer outra coisa.)
// Este arquivo tem só a leitura da saída e o cache, sem marcação de
// sistema, para que os testes rodem em qualquer máquina; quem roda o ps
// está em proc_darwin.go.

// parsePsThreads conta as threads na saída de `ps -M -p PID` do macOS:
//
//	USER   PID   TT  %CPU STAT PRI     STIME     UTIME COMMAND
//	ana   4242 s000   0.0 S    31T   0:00.01   0:00.02 ./server
//	      4242        0.0 S    31T   0:00.00   0:00.00
//
// Uma linha por thread depois do cabeçalho (a primeira traz o comando).
// -1 se a saída não tem essa forma.
func parsePsThreads(out []byte) int {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 || !strings.Contains(lines[0], "PID") {
		return -1 // só o cabeçalho (processo não existe) ou outra coisa
	}
	n := 0
	for _, line := range lines[1:] {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

// parsePsRSS lê a saída de `ps -o rss= -p PID` (KiB) e devolve bytes, ou
// -1 se não for um número só.
func parsePsRSS(out []byte) int64 {
	fs := strings.Fields(string(out))
	if len(fs) != 1 {
		return -1
	}
	kib, err := strconv.ParseInt(fs[0], 10, 64)
	if err != nil || kib < 0 {
		return -1
	}
	return kib * 1024
}

// sampleCache guarda a última leitura de uma medida cara (no macOS, rodar
// o ps: dezenas de milissegundos) e a refaz numa goroutine própria, para
// que quem lê nunca espere. É o que permite a um servidor pôr as threads
// na linha [ATIVO] de cada conexão sem rodar um processo por conexão.
type sampleCache struct {
	every time.Duration                   // intervalo mínimo entre o início de duas leituras
	read  func() (threads int, rss int64) // a leitura cara

	mu      sync.Mutex
	threads int
	rss     int64
	started time.Time // início da última leitura (zero: nenhuma ainda)
	busy    bool      // há uma leitura em andamento
}

func newSampleCache(every time.Duration, read func() (int, int64)) *sampleCache {
	return &sampleCache{every: every, read: read, threads: -1, rss: -1}
}

// get devolve os valores da última leitura terminada (-1, -1 antes da
// primeira) e, se nenhuma leitura está em andamento e a última começou
// há every ou mais, dispara outra em segundo plano. Uma leitura por vez,
// no máximo uma a cada every, e só enquanto alguém pede: sem chamadas,
// nada roda.
func (c *sampleCache) get() (threads int, rss int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.busy && time.Since(c.started) >= c.every {
		c.busy, c.started = true, time.Now()
		go c.refresh()
	}
	return c.threads, c.rss
}

func (c *sampleCache) refresh() {
	threads, rss := c.read()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.threads, c.rss, c.busy = threads, rss, false
}
