package main

// O que o porte acrescenta ao server_async.py, fora de handle_client: as
// flags, o log que nunca bloqueia o laço (registro.go), os números do
// processo nas linhas [ATIVO], a conta do [RESUMO SERVIDOR] e o Ctrl-C. Tudo
// entra pelo reactor.Observer, avisado de cada conexão que abre e fecha e do
// início e do fim do laço.

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"roteiro2/internal/cli"
	"roteiro2/internal/proc"
	"roteiro2/internal/reactor"
	"roteiro2/internal/socket"
)

var (
	BACKLOG = 100 // o asyncio.start_server usa backlog 100 quando nenhum valor é passado
	laco    reactor.Config
	log     = novoRegistro(os.Stdout)
	quieto  bool
)

// opcoes lê as flags para as variáveis do esqueleto e monta a configuração
// do laço: o -ocioso (o prazo de cada Read), o log e a conta (contas).
func opcoes() {
	f := cli.ServerFlags(BACKLOG)
	f.Parse()
	HOST, PORT, DELAY, BACKLOG, quieto = f.Host, f.Port, f.Delay, f.Backlog, f.Quiet
	s := &contas{grace: f.Grace}
	s.lerNumeros() // antes da linha de início: a 1ª leitura de /proc abre os descritores do netpoller do runtime
	laco = reactor.Config{Observer: s, Logf: log.printf, ReadTimeout: f.Idle}
}

// imprimir é o print do esqueleto para as linhas de cada conexão (nada com
// -q). Na thread do laço: só guarda a linha; outra goroutine a escreve.
func imprimir(format string, args ...any) {
	if !quieto {
		log.printf(format, args...)
	}
}

// checar termina o programa com uma linha em português e código 1 se err
// não for nil: a exceção não tratada do Python (porta em uso, permissão).
func checar(err error) {
	if err == nil {
		return
	}
	log.descarregar()
	if _, ok := errors.AsType[*socket.Error](err); ok {
		cli.Fatal(cli.ListenError(err, HOST, PORT))
	}
	cli.Fatal(fmt.Sprintf("Erro no laço de eventos: %v", err))
}

// contas é o reactor.Observer do server_async. Cada conexão aceita entra
// numa das três chaves do resumo, a mesma regra dos outros servidores
// (internal/tracking): atendidas = a resposta inteira foi entregue ao
// kernel; interrompidas = a parada a encerrou antes; falhas = o resto.
type contas struct {
	l                                *reactor.Loop
	grace                            time.Duration
	atendidas, falhas, interrompidas int64
	numeros                          proc.Figures // lidos por último (proc.Self)
	lidosEm                          time.Time
	threadsPico                      int
}

// Started: o Ctrl-C (SIGINT) e o SIGTERM. O aviso chega numa goroutine do
// runtime, que só pede ao laço (Post e Stop acordam o epoll_wait) para parar
// com calma. Depois do primeiro, os sinais voltam ao comportamento padrão:
// um segundo Ctrl-C durante a espera termina o processo na hora.
func (s *contas) Started(l *reactor.Loop) {
	s.l = l
	sinais := make(chan os.Signal, 1)
	signal.Notify(sinais, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sinais
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		l.Post(func() {
			log.printf("[PARANDO] Sinal recebido: não aceito mais conexões; %d em andamento, prazo %v.", l.Active(), s.grace)
		})
		l.Stop(s.grace)
	}()
}

func (s *contas) Opened(c *reactor.Conn) { s.ativo() }

func (s *contas) Closed(c *reactor.Conn, err error) {
	switch {
	case c.Replied():
		// A resposta inteira foi entregue ao kernel, nada pendente: atendida,
		// mesmo que o fim do prazo da parada corte o fechamento com espera.
		s.atendidas++
	case err == reactor.ErrStopped:
		s.interrompidas++ // a parada do servidor a encerrou antes disso
	default:
		s.falhas++ // o cliente fechou ou resetou sem resposta, -ocioso, erro de escrita
	}
	s.ativo()
}

// Stopped: o laço acabou. O resumo, e o log inteiro no terminal.
func (s *contas) Stopped(l *reactor.Loop) {
	s.threadsPico = max(s.threadsPico, proc.Threads())
	f := proc.Self()
	log.printf("[RESUMO SERVIDOR] atendidas=%d falhas=%d interrompidas=%d threads_pico=%s %s erros_accept=%d",
		s.atendidas, s.falhas, s.interrompidas, contagem(s.threadsPico), f.Keys(), l.AcceptErrors())
	log.descarregar()
}

// ativo guarda o pico de threads e imprime as conexões abertas e os números
// do processo (threads do SO, memória, CPU, trocas de contexto): com o laço
// de eventos, as threads não crescem com as conexões. O pico vem de
// proc.GoThreads a cada conexão que abre ou fecha, também com -q: nenhum
// timer acorda o laço só para medir (o custo está em docs/desempenho.md). Os
// números da linha (/proc/self e getrusage) são relidos no máximo a cada
// 100 ms, não a cada conexão.
func (s *contas) ativo() {
	s.threadsPico = max(s.threadsPico, proc.GoThreads())
	if quieto {
		return
	}
	if time.Since(s.lidosEm) >= 100*time.Millisecond {
		s.lerNumeros()
	}
	log.printf("[ATIVO] Conexões simultâneas: %d | %s", s.l.Active(), s.numeros.Compact())
}

// lerNumeros relê os números do processo e guarda o pico de threads.
func (s *contas) lerNumeros() {
	s.numeros, s.lidosEm = proc.Self(), time.Now()
	s.threadsPico = max(s.threadsPico, s.numeros.Threads)
}

func contagem(n int) string {
	if n < 0 {
		return "n/d"
	}
	return fmt.Sprint(n)
}
