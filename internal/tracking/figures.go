package tracking

import (
	"time"

	"roteiro2/internal/proc"
)

// Figures são os números do processo para o fim da linha [ATIVO]: "threads
// SO: 12 | RSS 8.1MiB (pico 9.0MiB) | CPU 0.12s | trocas 340v/12i", o que a
// Questão 2 pergunta. Anota também o pico de threads.
//
// O instrumento não pode mudar o que mede: Figures roda no caminho do
// accept. O pico vem de proc.GoThreads (~0,2 µs, sem chamada de sistema; só
// a trava sched.lock do runtime, que runtime.mexit também segura enquanto
// percorre as threads). O número de threads vem do kernel (a linha Threads:
// de /proc/self/status, que custa o mesmo com 10 ou com 10.000 threads);
// memória, CPU e trocas vêm da última leitura de refresher, porque o
// getrusage que as dá percorre todas as threads do processo dentro do
// kernel e, com milhares de threads, atrasaria o próprio accept.
func (s *Server) Figures() string {
	s.notePeak(proc.GoThreads())
	if s.cfg.Quiet {
		return "" // ninguém vai ler: nem o /proc
	}
	f := *s.figures.Load()
	f.Threads = s.Threads()
	select { // pede uma releitura, sem nunca esperar por ela
	case s.refresh <- struct{}{}:
	default:
	}
	return f.Compact()
}

// NotePeak anota o pico de threads pelo contador do runtime, sem imprimir
// nada (o que Figures faz, para quem roda com -q).
func (s *Server) NotePeak() { s.notePeak(proc.GoThreads()) }

// Threads lê o número atual de threads do SO do processo (-1 se o sistema
// não informa) e atualiza o pico.
func (s *Server) Threads() int {
	n := proc.Threads()
	s.notePeak(n)
	return n
}

// refresher relê os números das linhas [ATIVO] quando Figures pede, no
// máximo 4 vezes por segundo, fora do caminho do accept. Servidor ocioso:
// nenhuma leitura, nenhuma troca de contexto.
func (s *Server) refresher() {
	for range s.refresh {
		f := proc.Self()
		s.notePeak(f.Threads)
		s.figures.Store(&f)
		time.Sleep(250 * time.Millisecond)
	}
}

// notePeak guarda n como pico de threads se for o maior visto.
func (s *Server) notePeak(n int) {
	for {
		p := s.peakThreads.Load()
		if int64(n) <= p || s.peakThreads.CompareAndSwap(p, int64(n)) {
			return
		}
	}
}
