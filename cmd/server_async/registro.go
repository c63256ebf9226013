package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// maxPendente limita o log que espera o terminal: passando disso, as linhas
// novas são descartadas (e contadas) em vez de crescer a memória sem fim.
const maxPendente = 4 << 20

// registro é o log do servidor. O laço nunca escreve no terminal: só
// acrescenta a linha já formatada a um []byte, com o mutex preso apenas
// durante o append. Uma goroutine à parte troca esse buffer por um vazio e
// o escreve, no máximo uma vez a cada 100 ms. Um terminal lento atrasa o
// log (e, no limite, perde linhas), nunca o laço.
type registro struct {
	w        io.Writer
	mu       sync.Mutex // protege pendente e omitidas
	pendente []byte
	omitidas int
	aviso    chan struct{} // "há linhas": acorda a goroutine escritora
	escrita  sync.Mutex    // uma escrita por vez (goroutine e descarregar)
	reserva  []byte        // o outro buffer da troca; só com escrita preso
}

func novoRegistro(w io.Writer) *registro {
	r := &registro{w: w, aviso: make(chan struct{}, 1)}
	go func() {
		for range r.aviso {
			time.Sleep(100 * time.Millisecond) // junta as linhas de 100 ms numa escrita
			r.descarregar()
		}
	}()
	return r
}

// printf guarda uma linha. Chamado na thread do laço: não bloqueia.
func (r *registro) printf(format string, args ...any) {
	linha := fmt.Appendf(nil, format+"\n", args...) // formata fora do mutex
	r.mu.Lock()
	primeira := len(r.pendente) == 0 && r.omitidas == 0
	if len(r.pendente)+len(linha) > maxPendente {
		r.omitidas++
	} else {
		r.pendente = append(r.pendente, linha...)
	}
	r.mu.Unlock()
	if primeira {
		select { // nunca espera: se o aviso já está lá, basta
		case r.aviso <- struct{}{}:
		default:
		}
	}
}

// descarregar escreve o que estiver pendente. A goroutine o chama; main
// também, depois de Run, para o resumo sair antes do fim do processo.
func (r *registro) descarregar() {
	r.escrita.Lock()
	defer r.escrita.Unlock()
	r.mu.Lock()
	b, n := r.pendente, r.omitidas
	r.pendente, r.omitidas = r.reserva[:0], 0
	r.mu.Unlock()
	if n > 0 {
		b = fmt.Appendf(b, "[LOG] %d linhas omitidas (terminal lento)\n", n)
	}
	if len(b) > 0 {
		r.w.Write(b) // pode demorar: só esta goroutine espera
	}
	r.reserva = b
}
