// Package wine diz se este programa roda sob o Wine, o tradutor que executa
// programas do Windows no Linux. Os testes do Windows rodam aqui sob o Wine
// (scripts/wine/run-tests.sh), e o Wine não é o Windows em tudo: os sockets
// são os do Linux por baixo (um RST vira fim de arquivo, a fila cheia não
// responde RST), e o Wine 8 não entrega CTRL_BREAK_EVENT. Um teste que
// depende do próprio Windows pergunta Detected e, se for o Wine, pula
// dizendo por quê.
package wine
