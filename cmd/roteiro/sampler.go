package main

// A amostragem do processo servidor durante uma etapa (proc.Of: o /proc no
// Linux, a API do sistema no Windows, o ps no macOS...).

import (
	"runtime"
	"sync"
	"time"

	"roteiro2/internal/proc"
)

// sampler lê proc.Of(pid) periodicamente: pico de threads e de RSS, e a
// primeira (repouso) e a última amostra para as diferenças de CPU e trocas.
// Na mesma batida lê KernelStack de /proc/meminfo (kstack.go; a máquina
// inteira): o valor em repouso e o pico.
// Ler /proc/PID/task/*/status custa caro com milhares de threads: o
// intervalo é 50 ms ou 4 × o custo da última leitura, o que for maior, para
// que medir não roube mais que ~20% de um núcleo do que se mede.
type sampler struct {
	pid  int
	quit chan struct{}
	done chan struct{}

	mu          sync.Mutex
	idle, last  proc.Figures
	peakThreads int
	peakRSS     int64
	// KernelStack em bytes (-1 = n/d): repouso e pico (o pico inclui o repouso).
	idleKStack, peakKStack int64
}

func startSampler(pid int) *sampler {
	s := &sampler{pid: pid, quit: make(chan struct{}), done: make(chan struct{}), peakThreads: -1, peakRSS: -1}
	ks := readKernelStack()
	f, err := proc.Of(pid)
	if err != nil {
		f = proc.Figures{Threads: -1, RSS: -1, PeakRSS: -1, User: -1, System: -1, Voluntary: -1, Involuntary: -1}
		ks = -1 // sem amostragem não há pico: n/d, não 0
	}
	s.idle = f
	s.idleKStack, s.peakKStack = ks, ks
	s.record(f)
	if err != nil { // sem /proc: nada a amostrar
		close(s.done)
		return s
	}
	go s.loop()
	return s
}

func (s *sampler) record(f proc.Figures) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = f
	s.peakThreads = max(s.peakThreads, f.Threads)
	s.peakRSS = max(s.peakRSS, f.RSS, f.PeakRSS) // PeakRSS = VmHWM, o pico exato
}

func (s *sampler) loop() {
	defer close(s.done)
	wait := 50 * time.Millisecond
	for {
		select {
		case <-s.quit:
			return
		case <-time.After(wait):
		}
		t0 := time.Now()
		s.recordKStack(readKernelStack())
		f, err := proc.Of(s.pid)
		if err != nil {
			continue // o processo pode estar terminando
		}
		s.record(f)
		wait = max(50*time.Millisecond, 4*time.Since(t0))
	}
}

// stop encerra a amostragem com uma última leitura.
func (s *sampler) stop() {
	select {
	case <-s.done:
	default:
		close(s.quit)
		<-s.done
		s.recordKStack(readKernelStack())
		if f, err := proc.Of(s.pid); err == nil {
			s.record(f)
		}
	}
}

// recordKStack guarda uma leitura de KernelStack (-1: leitura falhou, ignora).
func (s *sampler) recordKStack(b int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b >= 0 && s.idleKStack >= 0 {
		s.peakKStack = max(s.peakKStack, b)
	}
}

// kstack devolve KernelStack em repouso e no pico, em bytes (-1 = n/d).
func (s *sampler) kstack() (idle, peak int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idleKStack, s.peakKStack
}

func (s *sampler) result() (idle, last proc.Figures, peakThreads int, peakRSS int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idle, s.last, s.peakThreads, s.peakRSS
}

// waitWatch amostra onde as threads do servidor dormem (proc.WaitChannels,
// /proc/PID/task/*/wchan) enquanto os clientes esperam, e guarda a amostra
// tirada mais perto do meio do atraso (target): aí os clientes já mandaram
// o pedido e esperam a resposta, e cada modelo mostra como espera — uma
// thread por conexão em nanosleep, a thread do laço em epoll_wait. (Escolher
// "a amostra com mais threads em sleep" enganaria: o sysmon do runtime do Go
// também dorme em nanosleep de vez em quando.) Custa uma leitura por
// thread, então roda à parte do sampler de 50 ms e espaçada: 200 ms, ou 10 ×
// o custo da última leitura com milhares de threads.
type waitWatch struct {
	pid    int
	target time.Time
	quit   chan struct{}
	done   chan struct{}

	mu   sync.Mutex
	best proc.Waits    // a amostra mais perto de target
	off  time.Duration // a distância dela a target
}

// watchWaits começa a amostrar pid agora; a amostra que fica é a mais
// próxima de target.
func watchWaits(pid int, target time.Time) *waitWatch {
	w := &waitWatch{pid: pid, target: target, quit: make(chan struct{}), done: make(chan struct{})}
	if runtime.GOOS != "linux" { // só o Linux informa o wchan: n/d
		close(w.done)
		return w
	}
	go w.loop()
	return w
}

func (w *waitWatch) loop() {
	defer close(w.done)
	wait := 100 * time.Millisecond // a primeira: os clientes acabaram de entrar
	for {
		select {
		case <-w.quit:
			return
		case <-time.After(wait):
		}
		t0 := time.Now()
		ws, err := proc.WaitChannels(w.pid)
		if err != nil {
			continue // o processo pode estar terminando
		}
		w.record(ws, t0)
		wait = max(200*time.Millisecond, 10*time.Since(t0))
	}
}

// record guarda ws, lida no instante at, se for a mais perto de target.
func (w *waitWatch) record(ws proc.Waits, at time.Time) {
	off := at.Sub(w.target)
	if off < 0 {
		off = -off
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.best == nil || off < w.off {
		w.best, w.off = ws, off
	}
}

// stop encerra a amostragem e devolve a amostra escolhida (nil = n/d).
func (w *waitWatch) stop() proc.Waits {
	close(w.quit)
	<-w.done
	return w.pick()
}

// pick é a amostra escolhida até agora.
func (w *waitWatch) pick() proc.Waits {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.best
}
