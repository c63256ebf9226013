//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

// Server_async é a Etapa 3 do roteiro: o server_async.py que o aluno escreve
// com asyncio, aqui sobre o nosso próprio laço de eventos (internal/reactor,
// epoll no Linux, kqueue no macOS e nos BSD), sem o pacote net do Go. Os
// quatro passos do esqueleto (ler, esperar, responder, fechar) viram
// callbacks: nenhum bloqueia, e uma única thread atende todos os clientes.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"roteiro2/internal/cli"
	"roteiro2/internal/proc"
	"roteiro2/internal/reactor"
	"roteiro2/internal/wire"
)

// fase é o que o servidor guarda em Conn.Context depois da resposta ou do
// -ocioso. Antes: nil (esperando a mensagem); durante o "sleep": a resposta
// já montada ([]byte).
type fase uint8

const (
	respondida fase = iota + 1 // Write da resposta aceito (talvez ainda pendente)
	ociosa                     // fechada por -ocioso
)

// servidor é o handle_client do Python partido em callbacks do laço.
type servidor struct {
	loop          *reactor.Loop
	delay, idle   time.Duration
	quiet         bool
	log           *registro
	atendidas     int64 // as três chaves do resumo: cada conexão conta em uma só (OnClose)
	falhas        int64
	interrompidas int64
	numeros       proc.Figures // números do processo lidos por último (proc.Self)
	lidosEm       time.Time    // quando numeros foi lido
	threadsPico   int
	responder     func(*reactor.Conn) // métodos guardados uma vez: sem closure por conexão
	expirar       func(*reactor.Conn)
}

func main() {
	// asyncio.start_server usa backlog 100 quando nenhum valor é passado.
	flags := cli.ServerFlags(100)
	flags.Parse()

	s := &servidor{delay: flags.Delay, idle: flags.Idle, quiet: flags.Quiet, log: novoRegistro(os.Stdout)}
	s.responder, s.expirar = s.responderCliente, s.fecharOciosa
	loop, err := reactor.New(reactor.Config{Handler: s, Logf: s.log.printf})
	if err != nil {
		cli.Fatal(fmt.Sprintf("Erro ao criar o laço de eventos: %v", err))
	}
	s.loop = loop
	s.lerNumeros() // antes da linha de início: a 1ª leitura de /proc abre descritores do runtime

	// Use asyncio.start_server() passando handle_client, HOST e PORT
	// Aqui: socket, bind e listen(backlog) não bloqueantes; o laço vigia o
	// socket de escuta e chama OnOpen a cada conexão aceita.
	port, err := loop.Listen(flags.Host, flags.Port, flags.Backlog)
	if err != nil {
		cli.Fatal(cli.ListenError(err, flags.Host, flags.Port))
	}
	fmt.Printf("[ASSÍNCRONO] Servidor rodando em %s:%d — Event Loop ativo.\n", flags.Host, port)

	// SIGINT/SIGTERM: o aviso chega numa goroutine do runtime, que só pede
	// ao laço (Post/Stop acordam o epoll_wait) para parar com calma. Depois
	// do primeiro, os sinais voltam ao comportamento padrão: um segundo
	// Ctrl-C (ou SIGTERM) durante a espera termina o processo na hora, como
	// nos outros servidores.
	sinais := make(chan os.Signal, 1)
	signal.Notify(sinais, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sinais
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		loop.Post(func() {
			s.log.printf("[PARANDO] Sinal recebido: não aceito mais conexões; %d em andamento, prazo %v.",
				loop.Active(), flags.Grace)
		})
		loop.Stop(flags.Grace)
	}()

	// Mantenha o servidor rodando indefinidamente
	// Run é o "asyncio.run": o laço roda nesta goroutine, presa a uma thread.
	if err := loop.Run(); err != nil {
		s.log.descarregar()
		cli.Fatal(fmt.Sprintf("Erro no laço de eventos: %v", err))
	}
	s.threadsPico = max(s.threadsPico, proc.Threads())
	f := proc.Self()
	s.log.printf("[RESUMO SERVIDOR] atendidas=%d falhas=%d interrompidas=%d threads_pico=%s %s",
		s.atendidas, s.falhas, s.interrompidas, contagem(s.threadsPico), f.Keys())
	s.log.descarregar() // o laço acabou: agora pode esperar o terminal
}

// OnOpen é o início de handle_client: uma conexão nova. Com -q nenhuma
// linha cita o endereço, e ele nem é pedido ao kernel (RemoteAddr).
func (s *servidor) OnOpen(c *reactor.Conn) {
	if !s.quiet {
		s.log.printf("[NOVA CONEXÃO] %s", c.RemoteAddr())
	}
	s.ativo()
	if s.idle > 0 {
		c.AfterFunc(s.idle, s.expirar)
	}
}

// 1. Leia os dados enviados pelo cliente (use 'await reader.read(1024)')
// OnData é chamado quando o kernel tem bytes desta conexão; os primeiros
// até 1024 são a mensagem, como reader.read(1024). O que vier depois é
// descartado (o fechamento demorado cuida de não virar RST).
func (s *servidor) OnData(c *reactor.Conn, in []byte) {
	if c.Context != nil {
		return
	}
	// TODO: ...
	// BEGIN SOLUTION
	msg := in[:min(len(in), wire.MaxRead)]
	if !s.quiet {
		s.log.printf("[%s] Processando: %s", c.RemoteAddr(), wire.Quote(msg))
	}
	c.Context = wire.Reply("Processado: ", msg) // in é do laço: copiamos antes de esperar
	// END SOLUTION
	// 2. Simule um processamento pesado SEM bloquear a thread principal.
	//    Use 'await asyncio.sleep(5)' — NÃO use 'time.sleep(5)'.
	//    Entenda a diferença: time.sleep bloqueia a Thread; asyncio.sleep
	//    apenas suspende a corrotina e devolve o controle ao Event Loop.
	// TODO: ...
	// BEGIN SOLUTION
	// Aqui: um timer no heap do laço (substitui o de -ocioso). Esta função
	// retorna já; o laço segue atendendo os outros até o prazo vencer.
	c.AfterFunc(s.delay, s.responder)
	// END SOLUTION
}

// responderCliente roda quando o timer do passo 2 vence.
func (s *servidor) responderCliente(c *reactor.Conn) {
	// 3. Envie a resposta ao cliente (use 'writer.write(...)' e 'await writer.drain()')
	// TODO: ...
	// BEGIN SOLUTION
	resposta := c.Context.([]byte)
	// Write tenta enviar já; o que o kernel não aceitar agora fica pendente
	// e sai quando o socket aceitar mais (o "drain" é do laço).
	if c.Write(resposta) == nil {
		c.Context = respondida
	}
	// END SOLUTION
	// 4. Feche a conexão (use 'writer.close()' e 'await writer.wait_closed()')
	// TODO: ...
	// BEGIN SOLUTION
	// Fechamento demorado: envia o pendente, shutdown(SHUT_WR) (FIN depois da
	// resposta), descarta o que o cliente ainda mandar, e só então close().
	// O [DESCONECTADO] sai em OnClose, quando o descritor é de fato fechado.
	c.CloseLinger()
	// END SOLUTION
}

// OnEOF: o cliente fechou a escrita (shutdown(SHUT_WR), como o `nc -N`)
// mas ainda lê. Como o StreamReaderProtocol do asyncio, a conexão fica
// aberta se a mensagem já chegou (a resposta está a caminho); sem mensagem,
// não há o que responder: fecha.
func (s *servidor) OnEOF(c *reactor.Conn) bool {
	_, pendente := c.Context.([]byte)
	return pendente
}

// fecharOciosa é o -ocioso: o cliente conectou e não mandou nada.
func (s *servidor) fecharOciosa(c *reactor.Conn) {
	if !s.quiet {
		s.log.printf("[OCIOSO] %s fechada após %v sem dados", c.RemoteAddr(), s.idle)
	}
	c.Context = ociosa
	c.Close()
}

// OnClose é o fim de handle_client: print(f"[DESCONECTADO] {addr}"). É
// aqui, e só aqui, que cada conexão aceita entra numa das três chaves do
// resumo, a mesma regra dos outros servidores.
func (s *servidor) OnClose(c *reactor.Conn, err error) {
	switch {
	case c.Context == respondida && c.Flushed():
		// A resposta inteira foi entregue ao kernel, nada pendente: atendida,
		// mesmo que o fim do prazo da parada corte o fechamento demorado.
		s.atendidas++
	case err == reactor.ErrStopped:
		s.interrompidas++ // a parada do servidor a encerrou antes disso
	default:
		s.falhas++ // o cliente fechou ou resetou sem resposta, -ocioso, erro de escrita
	}
	if !s.quiet {
		if err != nil {
			s.log.printf("[DESCONECTADO] %s (%v)", c.RemoteAddr(), err)
		} else {
			s.log.printf("[DESCONECTADO] %s", c.RemoteAddr())
		}
	}
	s.ativo()
}

// ativo guarda o pico de threads e imprime as conexões abertas e os números
// do processo (threads do SO, memória, CPU, trocas de contexto): com o laço
// de eventos, as threads não crescem com as conexões. O pico vem de
// proc.GoThreads (~0,2 µs, sem chamada de sistema, também com -q), a cada
// conexão que abre ou fecha: nenhum timer acorda o laço só para medir. Os
// números da linha (/proc/self e getrusage) são relidos no máximo a cada
// 100 ms, não a cada conexão.
func (s *servidor) ativo() {
	s.threadsPico = max(s.threadsPico, proc.GoThreads())
	if s.quiet {
		return
	}
	if time.Since(s.lidosEm) >= 100*time.Millisecond {
		s.lerNumeros()
	}
	s.log.printf("[ATIVO] Conexões simultâneas: %d | %s", s.loop.Active(), s.numeros.Compact())
}

// lerNumeros relê os números do processo e guarda o pico de threads.
func (s *servidor) lerNumeros() {
	s.numeros, s.lidosEm = proc.Self(), time.Now()
	s.threadsPico = max(s.threadsPico, s.numeros.Threads)
}

func contagem(n int) string {
	if n < 0 {
		return "n/d"
	}
	return fmt.Sprint(n)
}
