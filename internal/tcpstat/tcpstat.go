// Package tcpstat mostra o que o kernel faz com a fila de accept de um
// socket de escuta, para que o relatório cite números medidos, não digitados.
//
//   - ListenQueue(port): Recv-Q e Send-Q do socket LISTEN, os mesmos de
//     `ss -ltn`: quantas conexões já completaram o handshake e esperam
//     accept(), e o limite dessa fila (o backlog efetivo de listen(2)).
//   - ReadCounters(): contadores do kernel (os de `nstat`) que contam SYNs
//     descartados porque a fila estava cheia (ListenOverflows, ListenDrops).
//   - Watch(port, every): amostra ListenQueue periodicamente e guarda o pico.
//
// Só funciona no Linux; nos outros sistemas as funções devolvem um erro.
package tcpstat

import (
	"errors"
	"sync"
	"time"
)

// errOnlyLinux é devolvido fora do Linux.
var errOnlyLinux = errors.New("tcpstat: só no Linux")

// Queue é a fila de accept de um socket LISTEN, como `ss -ltn` a mostra.
type Queue struct {
	// RecvQ: conexões com handshake completo esperando accept() agora
	// (sk_ack_backlog). No Linux chega normalmente a backlog+1: o teste de
	// fila cheia (sk_acceptq_is_full) usa > e não >=. Não é um teto
	// absoluto: esse teste (em tcp_conn_request, e de novo no ACK final)
	// roda sem o lock do socket de escuta, e a conexão só entra na fila
	// depois; ACKs finais tratados no mesmo instante em CPUs diferentes podem
	// passar todos antes de algum entrar. O teto garantido é backlog +
	// número de CPUs (docs/fila-do-kernel.md, seção 1).
	RecvQ int
	// SendQ: o limite da fila (sk_max_ack_backlog) = o backlog passado a
	// listen(2), limitado por net.core.somaxconn. -1 quando não se sabe
	// (leitura alternativa por /proc/net/tcp, que não traz esse valor).
	SendQ int
}

// Counters são contadores TCP do kernel. Atenção: valem para o network
// namespace inteiro, não para um socket; a diferença entre duas leituras
// (Sub) inclui qualquer outro tráfego do mesmo namespace no intervalo.
// -1 quando o kernel não tem o contador.
type Counters struct {
	// ListenOverflows (TcpExt): SYNs (e ACKs finais) que acharam a fila de
	// accept cheia. O SYN é descartado em silêncio: sem SYN-ACK e sem RST;
	// o cliente retransmite e seu connect() acaba em timeout. Cada
	// retransmissão descartada conta de novo.
	ListenOverflows int64
	// ListenDrops (TcpExt): tudo o que um socket LISTEN descartou, incluindo
	// os ListenOverflows.
	ListenDrops int64
	// TCPReqQFullDrop (TcpExt): SYNs descartados porque a fila de SYN (as
	// conexões ainda incompletas) deste socket encheu. O limite dessa fila
	// por socket também deriva do backlog de listen(2), não só de
	// tcp_max_syn_backlog. Só se move com os syncookies desligados
	// (tcp_syncookies=0): com tcp_syncookies=1, o padrão, a fila de SYN cheia
	// é respondida com um cookie e conta em TCPReqQFullDoCookies. Por isso um
	// 0 aqui não prova nada sobre qual fila encheu; a prova de que foi a fila
	// de accept é ListenOverflows = clientes de fora × SYNs que cada um enviou.
	TCPReqQFullDrop int64
	// TCPReqQFullDoCookies (TcpExt): SYNs que acharam a fila de SYN cheia e
	// foram respondidos com um syncookie (tcp_syncookies=1). O connect()
	// desses clientes volta com sucesso, mas o ACK final deles ainda pode
	// achar a fila de accept cheia (e contar em ListenOverflows).
	TCPReqQFullDoCookies int64
	// OutRsts (Tcp): segmentos RST enviados por este host.
	OutRsts int64
	// AttemptFails (Tcp): conexões que morreram em SYN-SENT ou SYN-RECV por
	// RST ou por esgotar as retransmissões (tcp_done no kernel). Um cliente
	// que desiste do connect por timeout e fecha o socket NÃO conta aqui.
	AttemptFails int64
}

// unknown é o Counters de quando não se conseguiu ler nada.
var unknown = Counters{-1, -1, -1, -1, -1, -1}

// Sub devolve c - prev, contador a contador (-1 se faltar algum dos dois).
func (c Counters) Sub(prev Counters) Counters {
	d := func(a, b int64) int64 {
		if a < 0 || b < 0 {
			return -1
		}
		return a - b
	}
	return Counters{
		ListenOverflows:      d(c.ListenOverflows, prev.ListenOverflows),
		ListenDrops:          d(c.ListenDrops, prev.ListenDrops),
		TCPReqQFullDrop:      d(c.TCPReqQFullDrop, prev.TCPReqQFullDrop),
		TCPReqQFullDoCookies: d(c.TCPReqQFullDoCookies, prev.TCPReqQFullDoCookies),
		OutRsts:              d(c.OutRsts, prev.OutRsts),
		AttemptFails:         d(c.AttemptFails, prev.AttemptFails),
	}
}

// Watcher amostra a fila de accept de uma porta em segundo plano.
type Watcher struct {
	port int
	stop chan struct{}
	done chan struct{}
	once sync.Once

	mu   sync.Mutex
	peak Queue
	err  error
}

// Watch começa a amostrar ListenQueue(port) a cada every (mínimo 1 ms) numa
// goroutine, guardando o maior RecvQ visto e o SendQ. Chame Stop para
// terminar; nada fica rodando depois dele.
func Watch(port int, every time.Duration) *Watcher {
	every = max(every, time.Millisecond)
	w := &Watcher{port: port, stop: make(chan struct{}), done: make(chan struct{}),
		peak: Queue{RecvQ: -1, SendQ: -1}}
	go func() {
		defer close(w.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			w.sample()
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *Watcher) sample() {
	q, err := ListenQueue(w.port)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.err = err
		return
	}
	w.peak.RecvQ = max(w.peak.RecvQ, q.RecvQ)
	if q.SendQ >= 0 {
		w.peak.SendQ = q.SendQ
	}
}

// Stop para a amostragem (depois de uma última amostra) e devolve o pico:
// o maior RecvQ visto e o SendQ. {-1, -1} se nenhuma amostra deu certo (veja
// Err). Pode ser chamado mais de uma vez.
func (w *Watcher) Stop() Queue {
	w.once.Do(func() {
		close(w.stop)
		<-w.done
		w.sample()
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak
}

// Err devolve o último erro de amostragem (nil se todas deram certo).
func (w *Watcher) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
