package reactor

import (
	"math"
	"time"
)

// Timer é um callback marcado para um instante. Os timers pendentes ficam
// num heap mínimo ordenado pelo prazo: o laço olha só o topo para saber
// quanto pode dormir, e incluir ou cancelar custa O(log n).
type Timer struct {
	when int64       // prazo, em ns desde Loop.base
	seq  uint64      // desempate: prazos iguais disparam na ordem de criação
	idx  int         // posição no heap; -1 fora dele
	fn   func(*Conn) // o callback: fn(c); c é nil num timer do laço (Loop.AfterFunc)
	c    *Conn
	l    *Loop
}

// Stop cancela o timer; devolve false se ele já disparou ou foi cancelado.
// Só na thread do laço.
func (t *Timer) Stop() bool {
	if t.idx < 0 {
		return false
	}
	t.l.timers.remove(t.idx)
	return true
}

// schedule põe t no heap para daqui a d. A soma satura: um d enorme vira
// "o mais longe possível", nunca um prazo que deu a volta e já venceu.
func (l *Loop) schedule(t *Timer, d time.Duration) {
	if t.idx >= 0 {
		l.timers.remove(t.idx)
	}
	now := time.Since(l.base)
	when := now + d
	if d > 0 && when < now {
		when = math.MaxInt64
	}
	l.seq++
	t.when, t.seq, t.l = int64(when), l.seq, l
	l.timers.push(t)
}

// AfterFunc chama f na thread do laço daqui a pelo menos d.
func (l *Loop) AfterFunc(d time.Duration, f func()) *Timer {
	t := &Timer{fn: func(*Conn) { f() }, idx: -1}
	l.schedule(t, d)
	return t
}

// runTimers dispara, em ordem de prazo, os timers vencidos até now. Um
// timer criado por um callback vence depois de now, então fica para a
// próxima volta: um timer de 0 s que se recria não prende o laço.
func (l *Loop) runTimers(now int64) {
	for len(l.timers) > 0 && l.timers[0].when <= now {
		t := l.timers[0]
		l.timers.remove(0)
		t.fn(t.c)
	}
}

// timeout diz quantos milissegundos o laço pode dormir a partir de now (ns
// desde Loop.base): até o timer mais próximo, arredondado PARA CIMA
// (arredondar para baixo faria o laço acordar 0,9 ms cedo, achar nada
// vencido e girar em falso até o prazo); -1 = sem timer.
func (l *Loop) timeout(now int64) int {
	if len(l.timers) == 0 {
		return -1
	}
	d := l.timers[0].when - now
	if d <= 0 {
		return 0
	}
	ms := d / int64(time.Millisecond)
	if d%int64(time.Millisecond) != 0 {
		ms++ // o resto, por menor que seja, vale um milissegundo inteiro
	}
	return int(min(ms, 1<<30))
}

// timerHeap é um heap binário escrito à mão (container/heap exigiria
// interfaces e conversões a cada operação).
type timerHeap []*Timer

func (h timerHeap) less(i, j int) bool {
	return h[i].when < h[j].when || h[i].when == h[j].when && h[i].seq < h[j].seq
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}

func (h *timerHeap) push(t *Timer) {
	t.idx = len(*h)
	*h = append(*h, t)
	h.up(t.idx)
}

func (h *timerHeap) remove(i int) {
	s := *h
	last := len(s) - 1
	s[i].idx = -1
	s[i], s[last] = s[last], nil // o último ocupa o lugar do removido
	*h = s[:last]
	if i < last {
		s[i].idx = i
		h.down(i)
		h.up(i)
	}
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h timerHeap) down(i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h.less(c+1, c) {
			c++
		}
		if !h.less(c, i) {
			return
		}
		h.swap(i, c)
		i = c
	}
}
